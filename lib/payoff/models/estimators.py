"""The classifiers a targeting framing compares, each built fresh for one fold. scikit-learn is
imported when one is built, not when the registry is read (the CLI and the pages read it)."""

from __future__ import annotations

from typing import Any

from payoff.models.protocols import Classifier, Columns


def _categories_as_codes(columns: Columns) -> Any:
    """Categories as integer codes (unknown and missing: -1) first, the numbers after them."""
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OrdinalEncoder

    encoder = OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1, max_categories=250
    )
    return ColumnTransformer(
        [("categories", encoder, columns.categorical)], remainder="passthrough", verbose_feature_names_out=False
    )


def logistic_regression(columns: Columns) -> Classifier:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    transform = ColumnTransformer(
        [
            (
                "numbers",
                make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()),
                columns.numeric,
            ),
            ("categories", OneHotEncoder(handle_unknown="ignore", min_frequency=20), columns.categorical),
        ]
    )
    return make_pipeline(transform, LogisticRegression(C=1.0, max_iter=500))


def random_forest(columns: Columns) -> Classifier:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        _categories_as_codes(columns),
        SimpleImputer(strategy="median", keep_empty_features=True),
        RandomForestClassifier(
            n_estimators=60, max_depth=10, min_samples_leaf=10, max_features="sqrt", n_jobs=2, random_state=0
        ),
    )


def gradient_boosting(columns: Columns) -> Classifier:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline

    mask = [True] * len(columns.categorical) + [False] * len(columns.numeric)
    return make_pipeline(
        _categories_as_codes(columns),
        HistGradientBoostingClassifier(
            max_iter=100,
            learning_rate=0.1,
            max_leaf_nodes=31,
            categorical_features=mask,
            early_stopping=False,
            random_state=0,
        ),
    )
