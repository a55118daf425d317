"""Checks for the book's exercises: each ``check_*`` runs a student's function on fresh random
inputs against the package's own implementation and answers in plain words.

A check prints one line starting with ✓ when the function is right. When it is not, it raises
:class:`NotYetRight` (an ``AssertionError``, so nbgrader and otter-grader count it as a failed
test) whose message says what is already right and what is wrong: a known mistake by name
(a wrong sign, a missing mean, the saturating form, a wrong shape) or, for anything else, by
how far the values are off. It never prints the expected values or the solution.

Every exercise of the book, by chapter (:data:`CHAPTERS`; :data:`CHECKS` by name)::

    1  check_reconstruction_loss, check_linear_path
    2  check_nonsaturating_generator_loss, check_optimal_discriminator, check_gradient_penalty
    3  check_tanh_scaling, check_discriminator_loss, check_nearest_distances
    4  check_frechet_distance, check_polynomial_mmd2
    5  check_standardize_codes, check_latent_gan_sampling
    6  check_circle_means, check_aae_losses
    7  check_reparameterize, check_kl_divergence
    8  check_bigan_losses, check_nearest_neighbour_accuracy
    9  check_seconds_to_reach, check_fid_at_budget
    10 check_forward_noise, check_ancestral_step
    11 check_conditional_input, check_projection_logit
"""

from collections.abc import Callable

from aegan_tf.book.exercises import (
    chapter_1,
    chapter_2,
    chapter_3,
    chapter_4,
    chapter_5,
    chapter_6,
    chapter_7,
    chapter_8,
    chapter_9,
    chapter_10,
    chapter_11,
)
from aegan_tf.book.exercises._checking import NotYetRight
from aegan_tf.book.exercises.chapter_1 import check_linear_path, check_reconstruction_loss
from aegan_tf.book.exercises.chapter_2 import (
    check_gradient_penalty,
    check_nonsaturating_generator_loss,
    check_optimal_discriminator,
)
from aegan_tf.book.exercises.chapter_3 import (
    check_discriminator_loss,
    check_nearest_distances,
    check_tanh_scaling,
)
from aegan_tf.book.exercises.chapter_4 import check_frechet_distance, check_polynomial_mmd2
from aegan_tf.book.exercises.chapter_5 import check_latent_gan_sampling, check_standardize_codes
from aegan_tf.book.exercises.chapter_6 import check_aae_losses, check_circle_means
from aegan_tf.book.exercises.chapter_7 import check_kl_divergence, check_reparameterize
from aegan_tf.book.exercises.chapter_8 import check_bigan_losses, check_nearest_neighbour_accuracy
from aegan_tf.book.exercises.chapter_9 import check_fid_at_budget, check_seconds_to_reach
from aegan_tf.book.exercises.chapter_10 import check_ancestral_step, check_forward_noise
from aegan_tf.book.exercises.chapter_11 import check_conditional_input, check_projection_logit

CHAPTERS: dict[int, dict[str, Callable[[Callable], None]]] = {
    number: {name: check for name, check in vars(module).items() if name.startswith("check_")}
    for number, module in enumerate(
        (chapter_1, chapter_2, chapter_3, chapter_4, chapter_5, chapter_6, chapter_7, chapter_8,
         chapter_9, chapter_10, chapter_11),
        start=1,
    )
}  # fmt: skip
"""Every check of the book by chapter, then by name."""

CHECKS: dict[str, Callable[[Callable], None]] = {
    name: check for checks in CHAPTERS.values() for name, check in checks.items()
}
"""Every check of the book, by name."""

__all__ = [
    "CHAPTERS",
    "CHECKS",
    "NotYetRight",
    "check_aae_losses",
    "check_ancestral_step",
    "check_bigan_losses",
    "check_circle_means",
    "check_conditional_input",
    "check_discriminator_loss",
    "check_fid_at_budget",
    "check_forward_noise",
    "check_frechet_distance",
    "check_gradient_penalty",
    "check_kl_divergence",
    "check_latent_gan_sampling",
    "check_linear_path",
    "check_nearest_distances",
    "check_nearest_neighbour_accuracy",
    "check_nonsaturating_generator_loss",
    "check_optimal_discriminator",
    "check_polynomial_mmd2",
    "check_projection_logit",
    "check_reconstruction_loss",
    "check_reparameterize",
    "check_seconds_to_reach",
    "check_standardize_codes",
    "check_tanh_scaling",
]
