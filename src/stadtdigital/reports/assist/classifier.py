"""The text classifier behind the category suggestions (decision 0027).

Character n-grams (2-4, within words: robust to typos, dialect and compounds such as "Straßenlaternenmast")
and word uni- and bigrams, both hashed (no vocabulary to hold in memory, so training streams over any number
of reports), weighted by sublinear TF-IDF, feed a linear model trained by stochastic gradient descent with
logistic loss; its probabilities are then calibrated (sigmoid, per category) on held-out reports. Training
reads the texts in chunks twice (document frequencies, then the model) and keeps at most CACHE_LIMIT
vectorised reports in memory, so memory stays bounded at a million reports.
"""

import io
import warnings
from collections.abc import Callable, Iterable, Sequence

import joblib
import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import SGDClassifier
from sklearn.preprocessing import normalize

CHAR_FEATURES = 2**18
WORD_FEATURES = 2**17
CACHE_LIMIT = 150_000  # up to this many reports, train several epochs on vectors kept in memory
CALIBRATION_SHARE = 10  # every 10th report calibrates the probabilities (at most CALIBRATION_MAX)
CALIBRATION_MAX = 20_000

Chunks = Callable[[], Iterable[tuple[Sequence[str], Sequence[int]]]]


def _counts(analyzer: str, ngram_range: tuple[int, int], n_features: int) -> HashingVectorizer:
    """Raw n-gram counts hashed into `n_features` columns (weighted and normalised later)."""
    return HashingVectorizer(
        analyzer=analyzer,
        ngram_range=ngram_range,
        n_features=n_features,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )


class Classifier:
    def __init__(self):
        self.char = _counts("char_wb", (2, 4), CHAR_FEATURES)
        self.word = _counts("word", (1, 2), WORD_FEATURES)
        self.idf: np.ndarray | None = None
        self.model = None
        self.classes: list[int] = []

    # --- features --------------------------------------------------------------------------------------

    def _counts(self, texts: Sequence[str]):
        return sparse.hstack([self.char.transform(texts), self.word.transform(texts)], format="csr")

    def _weights(self, counts):
        # sublinear term frequency times idf, on the non-zero entries only (O(non-zeros) per text)
        counts.data = (1.0 + np.log(counts.data)) * self.idf[counts.indices]
        return normalize(counts, copy=False)

    def vectorize(self, texts: Sequence[str]):
        return self._weights(self._counts(texts))

    # --- training --------------------------------------------------------------------------------------

    def fit(self, chunks: Chunks, progress: Callable[[str, int], None] | None = None) -> "Classifier":
        """Trains on `chunks()`, a callable giving (texts, labels) chunks; it is called twice."""
        df = np.zeros(CHAR_FEATURES + WORD_FEATURES, dtype=np.int64)
        total, labels = 0, set()
        for texts, ys in chunks():
            counts = self._counts(texts)
            df += np.bincount(counts.indices, minlength=df.shape[0])
            total += len(texts)
            labels.update(ys)
            if progress:
                progress("idf", total)
        if len(labels) < 2:
            raise ValueError("at least two categories with enough reports are needed")
        self.idf = (np.log((1 + total) / (1 + df)) + 1).astype(np.float32)
        self.classes = sorted(labels)
        sgd = SGDClassifier(loss="log_loss", alpha=2e-6, random_state=0)
        calibration_x, calibration_y, cached, seen = [], [], [], 0
        calibration_rows = 0
        for texts, ys in chunks():
            x = self.vectorize(texts)
            ys = np.asarray(ys)
            held = np.zeros(len(ys), dtype=bool)
            if calibration_rows < CALIBRATION_MAX:
                held[::CALIBRATION_SHARE] = True
                calibration_x.append(x[held])
                calibration_y.append(ys[held])
                calibration_rows += int(held.sum())
            train_x, train_y = x[~held], ys[~held]
            if total <= CACHE_LIMIT:
                cached.append((train_x, train_y))
            else:
                sgd.partial_fit(train_x, train_y, classes=self.classes)
            seen += len(ys)
            if progress:
                progress("train", seen)
        if cached:
            sgd.set_params(max_iter=30, tol=1e-4)
            with warnings.catch_warnings():  # 30 epochs suffice for ranking; no need for the exact optimum
                warnings.simplefilter("ignore", ConvergenceWarning)
                sgd.fit(sparse.vstack([x for x, _ in cached]), np.concatenate([y for _, y in cached]))
        sgd.sparsify()  # hashed features never seen keep weight 0: the stored model stays small
        # ensemble=False: one calibrator over the frozen model (the default fits one per fold, and each
        # would run the same model again at prediction time)
        calibrated = CalibratedClassifierCV(FrozenEstimator(sgd), method="sigmoid", ensemble=False)
        calibrated.fit(sparse.vstack(calibration_x), np.concatenate(calibration_y))
        self.model = calibrated
        return self

    # --- use -------------------------------------------------------------------------------------------

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per entry of `classes`."""
        if not hasattr(self, "_dense_weights"):
            self._prepare()
        # The same as self.model.predict_proba (decision function, one sigmoid per category, normalised),
        # with the dense weights of _prepare. Columns follow self.classes (= the linear model's classes_).
        decision = np.asarray(self.vectorize(texts) @ self._dense_weights) + self._intercept
        proba = np.column_stack(
            [calibrator.predict(decision[:, k]) for k, calibrator in enumerate(self._calibrators)]
        )
        totals = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1 / proba.shape[1])
        return np.where(totals > 0, proba / np.where(totals > 0, totals, 1), uniform)

    def ranked(self, text: str) -> list[tuple[int, float]]:
        """(category id, probability), most likely first."""
        row = self.probabilities([text])[0]
        return sorted(zip(self.classes, (float(p) for p in row), strict=True), key=lambda item: -item[1])

    # --- storage ---------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        return buffer.getvalue()

    @staticmethod
    def from_bytes(data: bytes) -> "Classifier":
        classifier = joblib.load(io.BytesIO(bytes(data)))
        classifier._prepare()
        return classifier

    def _prepare(self) -> None:
        """Dense, row-major weights for prediction: stored sparse (small), used dense. One text times
        sklearn's column-major coef_.T copied the whole weight matrix on every call (~10 ms)."""
        calibrated = self.model.calibrated_classifiers_[0]
        frozen = calibrated.estimator
        linear = getattr(frozen, "estimator", frozen)
        coef = linear.coef_.toarray() if sparse.issparse(linear.coef_) else np.asarray(linear.coef_)
        self._dense_weights = np.ascontiguousarray(coef.T, dtype=np.float32)
        self._intercept = np.asarray(linear.intercept_, dtype=np.float32)
        self._calibrators = calibrated.calibrators

    def __getstate__(self):
        state = dict(self.__dict__)
        for key in ("_dense_weights", "_intercept", "_calibrators"):
            state.pop(key, None)
        return state
