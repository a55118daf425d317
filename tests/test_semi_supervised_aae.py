import keras
import numpy as np
import pytest

from aegan_tf import data
from aegan_tf.models import (
    SemiSupervisedAAE,
    build_dense_decoder,
    build_dense_encoder,
    build_mlp_discriminator,
)

CLASSES, STYLE = 10, 3
NETWORKS = ("encoder", "decoder", "class_discriminator", "style_discriminator")


@pytest.fixture(scope="module")
def digits():
    return data.load("mnist", limit=256)


def _model(seed=0, hidden=32):
    keras.utils.set_random_seed(seed)
    return SemiSupervisedAAE(
        build_dense_encoder(CLASSES + STYLE, hidden_units=(hidden,)),
        build_dense_decoder(CLASSES + STYLE, hidden_units=(hidden,)),
        build_mlp_discriminator(CLASSES, (16,)),
        build_mlp_discriminator(STYLE, (16,)),
        n_classes=CLASSES,
        seed=seed,
    )


def _batches(digits, labelled=64, batch_size=64):
    images, labels = digits
    return data.make_semi_supervised_dataset(
        images, images[:labelled], labels[:labelled], batch_size=batch_size, seed=0
    )


def _optimizers(*moving):
    """Adam for the phases named in ``moving``; SGD(0), which moves nothing, for the rest."""
    return {
        name: keras.optimizers.Adam(1e-3) if name in moving else keras.optimizers.SGD(0.0)
        for name in SemiSupervisedAAE.OPTIMIZERS
    }


@pytest.mark.parametrize(
    ("phases", "moved"),
    [
        (("ae_optimizer",), {"encoder", "decoder"}),
        (("d_optimizer",), {"class_discriminator", "style_discriminator"}),
        (("g_optimizer",), {"encoder"}),
        (("c_optimizer",), {"encoder"}),
    ],
)
def test_each_phase_updates_exactly_its_networks(digits, changed, phases, moved):
    model = _model()
    model.compile(**_optimizers(*phases))
    before = changed(model, NETWORKS)
    logs = model.fit(_batches(digits), epochs=1, verbose=0).history
    assert before() == moved
    assert set(logs) == {"reconstruction", "d_loss", "g_loss", "classification", "accuracy"}


def test_the_classification_phase_learns_the_labelled_digits(digits):
    model = _model(hidden=64)
    model.compile(**_optimizers("c_optimizer"))
    images, labels = digits
    history = model.fit(_batches(digits), epochs=15, verbose=0).history
    assert history["classification"][-1] < 0.5 * history["classification"][0]
    assert np.mean(model.classify(images[:64]) == labels[:64]) >= 0.9


def test_codes_samples_and_classes(digits):
    model = _model()
    model.compile()
    model.fit(_batches(digits), epochs=1, verbose=0)
    images = digits[0][:5]
    codes = model.encode(images)
    assert codes.shape == (5, CLASSES + STYLE)
    np.testing.assert_allclose(codes[:, :CLASSES].sum(axis=1), 1.0, atol=1e-5)
    assert model.classify(images).shape == (5,)
    assert model.reconstruct(images).shape == (5, 28, 28, 1)
    noise = model.sample_noise(4, seed=2, labels=[3, 3, 8, 0])
    np.testing.assert_array_equal(noise[:, :CLASSES].argmax(axis=1), [3, 3, 8, 0])
    np.testing.assert_array_equal(noise[:, :CLASSES].sum(axis=1), 1.0)
    samples = model.generate(4, seed=2, labels=[3, 3, 8, 0])
    np.testing.assert_allclose(samples, model.decoder(noise).numpy(), atol=1e-6)
    np.testing.assert_array_equal(samples, model.generate(4, seed=2, labels=[3, 3, 8, 0]))
    drawn = model.sample_noise(500, seed=1)[:, :CLASSES].argmax(axis=1)
    assert set(drawn) == set(range(CLASSES))  # without labels: uniform draws


def test_saved_model_reproduces_samples_and_resumes(digits, tmp_path):
    model = _model()
    model.compile(reconstruction="bce", loss="wgan-gp")
    model.fit(_batches(digits), epochs=1, verbose=0)
    model.save(tmp_path / "ss_aae.keras")
    loaded = keras.models.load_model(tmp_path / "ss_aae.keras")
    assert (loaded.n_classes, loaded.style_dim) == (CLASSES, STYLE)
    assert loaded.reconstruction == "bce" and loaded.objective.loss == "wgan-gp"
    np.testing.assert_array_equal(loaded.generate(5, seed=1), model.generate(5, seed=1))
    np.testing.assert_array_equal(loaded.classify(digits[0][:9]), model.classify(digits[0][:9]))
    loaded.fit(_batches(digits), epochs=1, verbose=0)
    assert int(loaded.c_optimizer.iterations) == 8


def test_trains_under_xla(digits):
    model = _model()
    model.compile(jit_compile=True)
    logs = model.fit(_batches(digits), epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in logs.values())


@pytest.mark.parametrize("jit", [False, True], ids=["graph", "xla"])
def test_a_nan_labelled_image_is_refused_before_it_reaches_a_weight(digits, jit):
    images, labels = digits
    labelled = images[:64].copy()
    labelled[5, 3, 4, 0] = np.nan  # only in the labelled stream: the first batch holds it
    model = _model()
    model.compile(jit_compile=jit)
    batches = data.make_semi_supervised_dataset(images, labelled, labels[:64], batch_size=64)
    before = [np.array(w) for w in model.get_weights()]
    with pytest.raises(ValueError, match=r"hold NaN or infinity.* stopped at epoch 1, step 1;"):
        model.fit(batches, epochs=1, verbose=0)
    for expected, got in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(got, expected)


def test_clear_errors(digits):
    encoder = build_dense_encoder(CLASSES + STYLE)
    decoder = build_dense_decoder(CLASSES + STYLE)
    by_class, by_style = build_mlp_discriminator(CLASSES), build_mlp_discriminator(STYLE)
    with pytest.raises(ValueError, match=r"n_classes \+ style_dim\) with n_classes >= 2 and"):
        SemiSupervisedAAE(encoder, decoder, by_class, by_style, n_classes=CLASSES + STYLE)
    with pytest.raises(ValueError, match=r"style_discriminator must take inputs of shape \(3,\)"):
        SemiSupervisedAAE(encoder, decoder, by_class, by_class)
    with pytest.raises(ValueError, match=r"class_discriminator must take inputs of shape \(10,"):
        SemiSupervisedAAE(encoder, decoder, by_style, by_style)
    model = SemiSupervisedAAE(encoder, decoder, by_class, by_style)
    model.compile()
    images, labels = digits
    with pytest.raises(ValueError, match=r"\(images, \(labelled_images, labels\)\) batches"):
        model.fit(images, batch_size=64, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 9\], got 0 to 10"):
        model.generate(2, labels=[0, 10])
    with pytest.raises(ValueError, match="labels must be one class or 3 classes"):
        model.generate(3, labels=[0, 1])
    with pytest.raises(ValueError, match="labels must be 4 whole numbers >= 0"):
        data.make_semi_supervised_dataset(images, images[:4], labels[:3])
    with pytest.raises(ValueError, match="labels must be 4 whole numbers >= 0"):
        data.make_semi_supervised_dataset(images, images[:4], np.array([0, 1, -1, 2]))
    with pytest.raises(ValueError, match=r"labelled_batch_size \(8\) is larger than"):
        data.make_semi_supervised_dataset(images, images[:4], labels[:4], batch_size=8)
