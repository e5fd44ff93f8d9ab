"""The measurement behind decision 0027's "alternatives tried": the category classifier against others.

    DATA_DIR=/tmp/x stadtdigital migrate && DATA_DIR=/tmp/x stadtdigital demo --load-only
    DATA_DIR=/tmp/x .venv/bin/python scripts/compare_assist_models.py

Uses the same data and split as `stadtdigital reports evaluate-assist` (reports before the 80 % point in
time train, the newer 20 % test) and the same features (hashed character and word n-grams, sublinear TF-IDF,
`Classifier.vectorize`), so only the model differs. Prints top-1 and top-3 accuracy, training time and the
prediction time per text for each model.
"""

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadtdigital.settings")
django.setup()

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.calibration import CalibratedClassifierCV  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.naive_bayes import ComplementNB  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from stadtdigital.reports.assist.classifier import Classifier  # noqa: E402
from stadtdigital.reports.assist.training import rows, training_reports, training_set  # noqa: E402


def split():
    reports = training_reports()
    total = reports.count()
    split_at = reports.order_by("created_at", "pk").values_list("created_at", flat=True)[int(total * 0.8)]
    data = training_set(until=split_at)
    test = [row for batch in rows(training_reports(since=split_at), set(data.categories)) for row in batch]
    return data, [text for _pk, text, _c in test], np.array([c for _pk, _t, c in test])


def accuracy(probabilities, classes, truth):
    order = np.argsort(-probabilities, axis=1)[:, :3]
    ranked = np.asarray(classes)[order]
    return float(np.mean(ranked[:, 0] == truth)), float(np.mean((ranked == truth[:, None]).any(axis=1)))


def per_text_ms(predict, texts, repeats=200):
    samples = []
    for text in texts[:repeats]:
        started = time.perf_counter()
        predict([text])
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main():
    data, test_texts, truth = split()
    started = time.perf_counter()
    ours = Classifier().fit(data.chunks)
    ours_seconds = time.perf_counter() - started
    results = [
        (
            "SGD, logistic loss + sigmoid calibration (chosen)",
            ours_seconds,
            *accuracy(ours.probabilities(test_texts), ours.classes, truth),
            per_text_ms(ours.probabilities, test_texts),
        )
    ]
    train_texts, train_labels = [], []
    for texts, labels in data.chunks():
        train_texts += texts
        train_labels += labels
    x_train = ours.vectorize(train_texts)
    x_test = ours.vectorize(test_texts)
    others = {
        "LinearSVC + sigmoid calibration (3-fold)": CalibratedClassifierCV(
            LinearSVC(C=1.0), method="sigmoid", cv=3
        ),
        "complement naive Bayes": ComplementNB(alpha=0.3),
        "logistic regression (saga, full batch)": LogisticRegression(C=10.0, solver="saga", max_iter=200),
    }
    for name, model in others.items():
        started = time.perf_counter()
        model.fit(x_train, train_labels)
        seconds = time.perf_counter() - started
        top1, top3 = accuracy(model.predict_proba(x_test), model.classes_, truth)

        def predict(texts, model=model):
            return model.predict_proba(sparse.csr_matrix(ours.vectorize(texts)))

        results.append((name, seconds, top1, top3, per_text_ms(predict, test_texts)))
    print(
        f"{len(train_texts)} training reports, {len(test_texts)} test reports, {len(ours.classes)} categories"
    )
    print(f"{'model':<52} {'train s':>8} {'top-1':>7} {'top-3':>7} {'ms/text':>8}")
    for name, seconds, top1, top3, ms in results:
        print(f"{name:<52} {seconds:8.1f} {top1:7.1%} {top3:7.1%} {ms:8.2f}")


if __name__ == "__main__":
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()
    main()
