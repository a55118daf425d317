"""Each exercise check accepts a correct answer, written as a student would, and names the
mistake in at least two typical wrong ones; a stub that still raises NotImplementedError
fails every check with the same clear message."""

import re
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from aegan_tf.book import exercises
from aegan_tf.book.exercises import NotYetRight

BOOK = Path(__file__).resolve().parents[1] / "book"

# --- Student answers: one right, and typical wrong ones -----------------------------------------


def mse_right(x, x_hat):
    return tf.reduce_mean(tf.square(x - x_hat), axis=[1, 2, 3])


def mse_batch_mean(x, x_hat):
    return tf.reduce_mean(tf.square(x - x_hat))


def mse_sum(x, x_hat):
    return np.sum((x - x_hat) ** 2, axis=(1, 2, 3))


def path_right(start, end, steps):
    t = np.linspace(0, 1, steps)[:, None]
    return (1 - t) * start + t * end


def path_short(start, end, steps):
    t = np.arange(steps)[:, None] / steps
    return (1 - t) * start + t * end


def path_transposed(start, end, steps):
    return path_right(start, end, steps).T


def ns_right(fake_logits):
    return tf.reduce_mean(tf.nn.softplus(-fake_logits))


def ns_saturating(fake_logits):
    return tf.reduce_mean(tf.math.log(1 - tf.sigmoid(fake_logits) + 1e-12))


def ns_wrong_sign(fake_logits):
    return tf.reduce_mean(-tf.nn.softplus(-fake_logits))


def ns_unstable(fake_logits):
    return -tf.reduce_mean(tf.math.log(tf.sigmoid(fake_logits)))


def gp_right(critic, real, fake, epsilon):
    x_hat = epsilon[:, None] * real + (1 - epsilon[:, None]) * fake
    x_hat = tf.convert_to_tensor(x_hat)
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat)
    norms = tf.norm(tape.gradient(scores, x_hat), axis=1)
    return tf.reduce_mean((norms - 1.0) ** 2)


def gp_squared_norm(critic, real, fake, epsilon):
    x_hat = tf.convert_to_tensor(epsilon[:, None] * real + (1 - epsilon[:, None]) * fake)
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat)
    squared = tf.reduce_sum(tape.gradient(scores, x_hat) ** 2, axis=1)
    return tf.reduce_mean((squared - 1.0) ** 2)


def gp_at_real(critic, real, fake, epsilon):
    return gp_right(critic, real, real, epsilon)


def tanh_right(pixels):
    return pixels.astype("float32") / 127.5 - 1.0


def d_loss_right(real_logits, fake_logits, label_smoothing):
    bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    real_target = tf.fill(tf.shape(real_logits), 1.0 - label_smoothing)
    return bce(real_target, real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)


def d_loss_two_sided(real_logits, fake_logits, label_smoothing):
    bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    real_target = tf.fill(tf.shape(real_logits), 1.0 - label_smoothing)
    fake_target = tf.fill(tf.shape(fake_logits), float(label_smoothing))
    return bce(real_target, real_logits) + bce(fake_target, fake_logits)


def d_loss_swapped(real_logits, fake_logits, label_smoothing):
    return d_loss_right(fake_logits, real_logits, label_smoothing)


def nearest_right(samples, training):
    diff = samples[:, None, :] - training[None, :, :]
    return np.sqrt((diff**2).sum(-1)).min(axis=1)


def nearest_squared(samples, training):
    return nearest_right(samples, training) ** 2


def nearest_axis(samples, training):
    diff = samples[:, None, :] - training[None, :, :]
    return np.sqrt((diff**2).sum(-1)).min(axis=0)


def fd_right(a, b):
    from scipy import linalg

    sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    return np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(sa + sb - 2 * linalg.sqrtm(sa @ sb))


def fd_means_only(a, b):
    return np.sum((a.mean(0) - b.mean(0)) ** 2)


def fd_no_root(a, b):
    sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    return np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(sa + sb - 2 * sa @ sb)


def mmd_unbiased(x, y, degree=3):
    d = x.shape[1]
    kxx, kyy, kxy = ((p @ q.T / d + 1) ** degree for p, q in ((x, x), (y, y), (x, y)))
    m, n = len(x), len(y)
    return (
        (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
        + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
        - 2 * kxy.mean()
    )


def mmd_right(x, y):
    return mmd_unbiased(x, y)


def mmd_biased(x, y):
    d = x.shape[1]
    kxx, kyy, kxy = ((p @ q.T / d + 1) ** 3 for p, q in ((x, x), (y, y), (x, y)))
    return kxx.mean() + kyy.mean() - 2 * kxy.mean()


def mmd_quadratic(x, y):
    return mmd_unbiased(x, y, degree=2)


def standardize_right(codes):
    mean, std = codes.mean(axis=0), codes.std(axis=0)
    return (codes - mean) / std, mean, std


def standardize_global(codes):
    return (codes - codes.mean()) / codes.std(), codes.mean(), codes.std()


def standardize_rows(codes):
    mean, std = codes.mean(axis=1, keepdims=True), codes.std(axis=1, keepdims=True)
    return (codes - mean) / std, mean[:, 0], std[:, 0]


def sampling_right(noise, generator, decoder, code_mean, code_std):
    return decoder(generator(noise) * code_std + code_mean)


def sampling_no_unstandardize(noise, generator, decoder, code_mean, code_std):
    return decoder(generator(noise))


def sampling_standardize(noise, generator, decoder, code_mean, code_std):
    return decoder((generator(noise) - code_mean) / code_std)


def circle_right(k, radius):
    angles = 2 * np.pi * np.arange(k) / k
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def circle_endpoint(k, radius):
    angles = np.linspace(0, 2 * np.pi, k)
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def circle_degrees(k, radius):
    angles = np.arange(k) * 360 / k
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def aae_right(prior_logits, code_logits):
    d = tf.reduce_mean(tf.nn.softplus(-prior_logits)) + tf.reduce_mean(tf.nn.softplus(code_logits))
    return d, tf.reduce_mean(tf.nn.softplus(-code_logits))


def aae_swapped(prior_logits, code_logits):
    return aae_right(code_logits, prior_logits)


def aae_saturating(prior_logits, code_logits):
    d, _ = aae_right(prior_logits, code_logits)
    return d, -tf.reduce_mean(tf.nn.softplus(code_logits))


def reparam_right(mean, log_var, epsilon):
    return mean + tf.exp(0.5 * log_var) * epsilon


def reparam_variance(mean, log_var, epsilon):
    return mean + tf.exp(log_var) * epsilon


def reparam_no_mean(mean, log_var, epsilon):
    return tf.exp(0.5 * log_var) * epsilon


def kl_right(mean, log_var):
    return -0.5 * tf.reduce_sum(1 + log_var - mean**2 - tf.exp(log_var), axis=1)


def kl_no_half(mean, log_var):
    return -tf.reduce_sum(1 + log_var - mean**2 - tf.exp(log_var), axis=1)


def kl_mean_over_dims(mean, log_var):
    return -0.5 * tf.reduce_mean(1 + log_var - mean**2 - tf.exp(log_var), axis=1)


def bigan_right(real_pair_logits, fake_pair_logits):
    bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    ones, zeros = tf.ones_like(real_pair_logits), tf.zeros_like(fake_pair_logits)
    d = bce(ones, real_pair_logits) + bce(zeros, fake_pair_logits)
    return d, bce(zeros, real_pair_logits) + bce(tf.ones_like(fake_pair_logits), fake_pair_logits)


def bigan_generator_only(real_pair_logits, fake_pair_logits):
    d, _ = bigan_right(real_pair_logits, fake_pair_logits)
    return d, tf.reduce_mean(tf.nn.softplus(-fake_pair_logits))


def bigan_negated(real_pair_logits, fake_pair_logits):
    d, _ = bigan_right(real_pair_logits, fake_pair_logits)
    return d, -d


def nn_right(train_codes, train_labels, test_codes, test_labels):
    distances = ((test_codes[:, None] - train_codes[None]) ** 2).sum(-1)
    return np.mean(train_labels[distances.argmin(axis=1)] == test_labels)


def nn_count(train_codes, train_labels, test_codes, test_labels):
    return nn_right(train_codes, train_labels, test_codes, test_labels) * len(test_labels)


def nn_error_rate(train_codes, train_labels, test_codes, test_labels):
    return 1 - nn_right(train_codes, train_labels, test_codes, test_labels)


def reach_right(curve, fid):
    for seconds, value in curve:
        if value <= fid:
            return seconds
    return float("nan")


def reach_last(curve, fid):
    times = [seconds for seconds, value in curve if value <= fid]
    return times[-1] if times else float("nan")


def reach_strict(curve, fid):
    return next((seconds for seconds, value in curve if value < fid), float("nan"))


def reach_none(curve, fid):
    return next((seconds for seconds, value in curve if value <= fid), None)


def budget_right(curve, seconds):
    values = [value for t, value in curve if t <= seconds]
    return values[-1] if values else float("nan")


def budget_best(curve, seconds):
    values = [value for t, value in curve if t <= seconds]
    return min(values) if values else float("nan")


def budget_after(curve, seconds):
    return next((value for t, value in curve if t > seconds), float("nan"))


def noise_right(x0, alpha_bar, noise):
    a = np.asarray(alpha_bar)[:, None]
    return np.sqrt(a) * x0 + np.sqrt(1 - a) * noise


def noise_variances(x0, alpha_bar, noise):
    a = np.asarray(alpha_bar)[:, None]
    return a * x0 + (1 - a) * noise


def noise_swapped(x0, alpha_bar, noise):
    a = np.asarray(alpha_bar)[:, None]
    return np.sqrt(1 - a) * x0 + np.sqrt(a) * noise


def step_right(x, eps, alpha_bar, alpha_bar_next, z):
    beta = 1 - alpha_bar / alpha_bar_next
    mean = (x - beta / np.sqrt(1 - alpha_bar) * eps) / np.sqrt(1 - beta)
    return mean + np.sqrt(beta * (1 - alpha_bar_next) / (1 - alpha_bar)) * z


def step_beta(x, eps, alpha_bar, alpha_bar_next, z):
    beta = 1 - alpha_bar / alpha_bar_next
    return (x - beta / np.sqrt(1 - alpha_bar) * eps) / np.sqrt(1 - beta) + np.sqrt(beta) * z


def step_no_noise(x, eps, alpha_bar, alpha_bar_next, z):
    return step_right(x, eps, alpha_bar, alpha_bar_next, 0 * z)


def input_right(noise, labels, n_classes):
    return np.concatenate([noise, np.eye(n_classes)[labels]], axis=1)


def input_labels_first(noise, labels, n_classes):
    return np.concatenate([np.eye(n_classes)[labels], noise], axis=1)


def input_raw_labels(noise, labels, n_classes):
    return np.concatenate([noise, np.asarray(labels, float)[:, None]], axis=1)


def projection_right(features, onehot, w, b, embedding):
    return features @ w + b + np.einsum("nf,nf->n", onehot @ embedding, features)


def projection_none(features, onehot, w, b, embedding):
    return features @ w + b


CASES = {
    "check_reconstruction_loss": (
        mse_right,
        [(mse_batch_mean, "averages over the batch"), (mse_sum, "sums the squared errors")],
    ),
    "check_linear_path": (
        path_right,
        [(path_short, "stops one step short"), (path_transposed, "(steps, d)")],
    ),
    "check_nonsaturating_generator_loss": (
        ns_right,
        [
            (ns_saturating, "saturating"),
            (ns_wrong_sign, "sign is wrong"),
            (ns_unstable, "NaN or infinity"),
        ],
    ),
    "check_optimal_discriminator": (
        lambda p, q: p / (p + q),
        [(lambda p, q: q / (p + q), "probability that x is fake"), (lambda p, q: p / q, "ratio")],
    ),
    "check_gradient_penalty": (
        gp_right,
        [(gp_squared_norm, "squared norm"), (gp_at_real, "at the real points")],
    ),
    "check_tanh_scaling": (
        tanh_right,
        [(lambda p: p / 255, "in [0, 1]"), (lambda p: p * 2.0 - 1, "not divided")],
    ),
    "check_discriminator_loss": (
        d_loss_right,
        [(d_loss_two_sided, "two-sided"), (d_loss_swapped, "swapped")],
    ),
    "check_nearest_distances": (
        nearest_right,
        [(nearest_squared, "squared distances"), (nearest_axis, "per training example")],
    ),
    "check_frechet_distance": (
        fd_right,
        [(fd_means_only, "only the means"), (fd_no_root, "not square-rooted")],
    ),
    "check_polynomial_mmd2": (
        mmd_right,
        [(mmd_biased, "biased"), (mmd_quadratic, "quadratic")],
    ),
    "check_standardize_codes": (
        standardize_right,
        [(standardize_global, "one mean and one std"), (standardize_rows, "each example")],
    ),
    "check_latent_gan_sampling": (
        sampling_right,
        [
            (sampling_no_unstandardize, "undo the standardisation"),
            (sampling_standardize, "standardised again"),
        ],
    ),
    "check_circle_means": (
        circle_right,
        [(circle_endpoint, "repeats the first"), (circle_degrees, "degrees")],
    ),
    "check_aae_losses": (
        aae_right,
        [(aae_swapped, "roles are swapped"), (aae_saturating, "saturating")],
    ),
    "check_reparameterize": (
        reparam_right,
        [(reparam_variance, "variance"), (reparam_no_mean, "mean is missing")],
    ),
    "check_kl_divergence": (
        kl_right,
        [(kl_no_half, "1/2 is missing"), (kl_mean_over_dims, "averages over the code")],
    ),
    "check_bigan_losses": (
        bigan_right,
        [(bigan_generator_only, "generator's pairs only"), (bigan_negated, "minus sign")],
    ),
    "check_nearest_neighbour_accuracy": (
        nn_right,
        [(nn_count, "counts correct"), (nn_error_rate, "error rate")],
    ),
    "check_seconds_to_reach": (
        reach_right,
        [(reach_last, "last time"), (reach_strict, "strictly below"), (reach_none, "returns None")],
    ),
    "check_fid_at_budget": (
        budget_right,
        [(budget_best, "best FID so far"), (budget_after, "first measurement after")],
    ),
    "check_forward_noise": (
        noise_right,
        [(noise_variances, "the variances"), (noise_swapped, "roles are swapped")],
    ),
    "check_ancestral_step": (
        step_right,
        [(step_beta, "variance β, Ho et al.'s other choice"), (step_no_noise, "no noise")],
    ),
    "check_conditional_input": (
        input_right,
        [(input_labels_first, "labels come first"), (input_raw_labels, "one number each")],
    ),
    "check_projection_logit": (
        projection_right,
        [(projection_none, "projection term is missing")],
    ),
}


@pytest.fixture(autouse=True)
def _seeded_inputs(monkeypatch):
    """Every check here draws the same inputs on every run and machine (a reader's check
    draws fresh ones, and names their seed when it fails)."""
    monkeypatch.setenv("AEGAN_EXERCISE_SEED", "20261201")


def test_a_failed_check_names_the_seed_of_its_inputs_and_the_seed_repeats_them(monkeypatch):
    monkeypatch.delenv("AEGAN_EXERCISE_SEED")
    messages = []
    for _ in range(2):
        with pytest.raises(NotYetRight) as error:
            exercises.check_reconstruction_loss(lambda x, y: mse_right(x, y) * 1.37)
        messages.append(str(error.value))
    seeds = [int(m.split("AEGAN_EXERCISE_SEED=")[1].split()[0]) for m in messages]
    assert seeds[0] != seeds[1]  # fresh inputs at every check
    monkeypatch.setenv("AEGAN_EXERCISE_SEED", str(seeds[0]))
    with pytest.raises(NotYetRight) as again:
        exercises.check_reconstruction_loss(lambda x, y: mse_right(x, y) * 1.37)
    assert str(again.value) == messages[0]  # the same inputs, so the same description


def test_a_check_leaves_the_readers_random_state_alone():
    keras.utils.set_random_seed(7)  # seeds numpy's global state too
    undisturbed = np.random.random()
    keras.utils.set_random_seed(7)
    exercises.check_gradient_penalty(gp_right)
    exercises.check_latent_gan_sampling(sampling_right)
    assert np.random.random() == undisturbed


def test_every_check_is_tested():
    assert set(CASES) == set(exercises.CHECKS)
    assert len(exercises.CHECKS) >= 18  # at least two per chapter


def test_each_chapter_calls_the_checks_of_its_own_module():
    assert list(exercises.CHAPTERS) == list(range(1, 12))
    for number, checks in exercises.CHAPTERS.items():
        assert len(checks) >= 2, number
        notebook = next(BOOK.glob(f"{number:02d}_*.ipynb")).read_text()
        assert set(re.findall(r"exercises\.(check_\w+)\(", notebook)) == set(checks), number


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_accepts_a_right_answer(name, capsys):
    right, _ = CASES[name]
    exercises.CHECKS[name](right)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize(
    "name, wrong, says",
    [(name, wrong, says) for name, (_, wrongs) in sorted(CASES.items()) for wrong, says in wrongs],
)
def test_check_names_the_mistake(name, wrong, says):
    with pytest.raises(NotYetRight, match="not right yet") as error:
        exercises.CHECKS[name](wrong)
    assert says in str(error.value), str(error.value)
    assert "Right: it runs" in str(error.value)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_stub_fails_with_a_clear_message(name):
    def stub(*args):
        # YOUR CODE HERE
        raise NotImplementedError()

    with pytest.raises(NotYetRight, match="still raises NotImplementedError"):
        exercises.CHECKS[name](stub)


def test_an_unknown_mistake_is_described_without_the_answer():
    with pytest.raises(NotYetRight) as error:
        exercises.check_reconstruction_loss(lambda x, y: mse_right(x, y) * 1.37)
    message = str(error.value)
    assert "not by one of the usual mistakes" in message
    assert "shape (" in message  # what is right: the shape


def test_a_missing_return_and_a_non_function_are_named():
    with pytest.raises(NotYetRight, match="returns None"):
        exercises.check_kl_divergence(lambda mean, log_var: None)
    with pytest.raises(NotYetRight, match="value 2: it is None; a number or an array"):
        exercises.check_aae_losses(lambda prior, codes: (aae_right(prior, codes)[0], None))
    with pytest.raises(TypeError, match="pass your function itself"):
        exercises.check_kl_divergence(kl_right(np.zeros((2, 2)), np.zeros((2, 2))))


def test_checks_of_an_error_raised_by_the_student():
    with pytest.raises(NotYetRight, match="it raised ZeroDivisionError"):
        exercises.check_optimal_discriminator(lambda p, q: 1 / 0)


def test_the_references_take_the_noise_they_are_checked_with():
    from aegan_tf import losses
    from aegan_tf.models.vae import reparameterize

    critic = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    real, fake = np.ones((3, 4), np.float32), np.zeros((3, 4), np.float32)
    with pytest.raises(ValueError, match=r"epsilon must have shape \(N,\) = \(3,\), got \(2,\)"):
        losses.gradient_penalty(critic, real, fake, epsilon=np.ones(2, np.float32))
    # a linear critic's input gradient is its weight vector, wherever it is taken; a fixed
    # weight (a random one can have a norm near 1, and a penalty near 0 has no relative error)
    critic.layers[0].kernel.assign(np.array([[2.0], [0.0], [0.0], [1.0]], np.float32))
    penalty = losses.gradient_penalty(critic, real, fake, epsilon=np.ones(3, np.float32))
    np.testing.assert_allclose(float(penalty), (np.sqrt(5.0) - 1) ** 2, rtol=1e-5)  # float32
    mean, log_var = np.zeros((2, 3), np.float32), np.full((2, 3), np.log(4.0), np.float32)
    z = reparameterize(mean, log_var, epsilon=np.ones((2, 3), np.float32))
    np.testing.assert_allclose(z.numpy(), 2.0, rtol=1e-6)  # σ = 2
    with pytest.raises(ValueError, match="epsilon must have the shape of mean"):
        reparameterize(mean, log_var, epsilon=np.ones((3, 2), np.float32))
