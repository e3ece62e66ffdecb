"""The model card, generated from a model file (never written by hand), in the order of the
TRIPOD+AI checklist's sections (Collins GS, Moons KGM, Dhiman P, et al. TRIPOD+AI statement:
updated guidance for reporting clinical prediction models that use regression or machine learning
methods. BMJ 2024;385:e078378). Items the file cannot know (funding, patient involvement, the
setting of the data) are listed as for the registry to complete, not invented."""

from collections.abc import Iterator

from markdown_it import MarkdownIt

from spinetrack.prediction.figures import calibration_svg, decision_svg
from spinetrack.prediction.model import Model
from spinetrack.prediction.settings import settings

_NAMES = {
    "c_statistic": "C statistic",
    "calibration_slope": "Calibration slope",
    "calibration_intercept": "Calibration intercept (in the large)",
    "brier": "Brier score",
    "ici": "ICI",
}
_OUTCOMES = {
    "improved": "Improved (MCID reached)",
    "worsened": "Worsened (deterioration threshold reached)",
    "pass": "Acceptable state (PASS)",
}


def _figure(entry: dict[str, float]) -> str:
    return f"{entry['value']:.3f} ({entry['low']:.3f} to {entry['high']:.3f})"


def _figures(name: str, calibration: str, decision: str) -> Iterator[str]:
    """Both figures as one HTML block (a `<figure>` line stands on its own in Markdown). No
    stylesheet: the app's Content-Security-Policy forbids inline styles, and inline SVGs already
    sit side by side where the page is wide enough."""
    yield (
        f'<figure class="plots">{calibration}{decision}<figcaption>{name}: smoothed calibration '
        "with its 95 % band against the diagonal (left); net benefit of the model, of treating "
        "all and of treating none (right).</figcaption></figure>"
    )
    yield ""


def _performance(model: Model, figures: bool) -> Iterator[str]:
    for outcome, name in _OUTCOMES.items():
        found = model.validation.get(outcome)
        if found is None:
            continue
        yield f"### {name} (n = {found.apparent.n})"
        yield ""
        yield "| Figure | Apparent (95 % CI) | Optimism | Optimism-corrected (95 % CI) |"
        yield "|---|---|---|---|"
        for key, label in _NAMES.items():
            yield (
                f"| {label} | {_figure(found.apparent.figures[key])} | "
                f"{found.optimism[key]:+.3f} | {_figure(found.corrected.figures[key])} |"
            )
        yield ""
        if figures:
            yield from _figures(
                name,
                calibration_svg(found.calibration_curve, f"Calibration: {name}"),
                decision_svg(found.decision_curve, f"Decision curve: {name}"),
            )
        yield "Smoothed calibration (predicted → observed, 95 % band):"
        yield ""
        points = found.calibration_curve[:: max(1, len(found.calibration_curve) // 6)]
        yield ", ".join(
            f"{p['predicted']:.2f} → {p['observed']:.2f} ({p['low']:.2f}–{p['high']:.2f})"
            for p in points
        )
        yield ""
        yield "Decision curve (net benefit: model / treat all):"
        yield ""
        yield ", ".join(
            f"{d['threshold']:.2f}: {d['model']:.3f} / {d['all']:.3f}"
            for d in found.decision_curve[::3]
        )
        yield ""
        shown = [g for g in found.subgroups if "withheld" not in g]
        if shown:
            yield "Calibration by subgroup (intercept; slope):"
            yield ""
            for group in found.subgroups:
                if "withheld" in group:
                    yield f"- {group['group']}: withheld ({group['withheld']})"
                    continue
                intercept = group["calibration_intercept"]
                slope = group["calibration_slope"]
                assert isinstance(intercept, dict) and isinstance(slope, dict)
                yield (
                    f"- {group['group']} (n = {group['n']}): {_figure(intercept)}; {_figure(slope)}"
                )
            yield ""


def _predictors(model: Model) -> Iterator[str]:
    yield "| Predictor | Form in the model | Missing in development data |"
    yield "|---|---|---|"
    for term in model.terms:
        if term.kind == "spline":
            scale = "log(1 + x)" if term.log else "x"
            form = f"restricted cubic spline of {scale}, knots " + ", ".join(
                f"{k:.3g}" for k in term.knots
            )
        elif term.kind == "linear":
            form = "linear in log(1 + x)" if term.log else "linear"
        else:
            form = "levels " + ", ".join(term.level_names[c] for c in term.levels)
            form += f" against {term.reference}"
        yield f"| {term.name} | {form} | {100 * model.missing_shares.get(term.name, 0):.1f} % |"


def _coefficients(model: Model) -> Iterator[str]:
    yield "| Column | Classes (log-odds per SD) | Pass (log-odds per SD) |"
    yield "|---|---|---|"
    classes, passed = model.submodels["classes"], model.submodels["pass"]
    columns = [c for term in model.terms for c in term.columns()]
    for name, a, b in zip(columns, classes.coef, passed.coef, strict=True):
        yield f"| {name} | {a:+.3f} | {b:+.3f} |"


def markdown_card(model: Model, figures: bool = False) -> str:
    """The card's text; with `figures`, the calibration and decision curves as inline SVG."""
    rules = settings()
    size = model.sample_size
    classes, passed = model.submodels["classes"], model.submodels["pass"]
    shares = ", ".join(f"{k} {100 * v:.1f} %" for k, v in model.class_shares.items())
    lines = [
        f"# Model card: spinetrack 12-month outcome model {model.version_id}",
        "",
        "Generated from the model file by `spinetrack risk card`; do not edit by hand.",
        "",
        "## Title and objective",
        "",
        "Development and internal validation of a model predicting, before spine surgery, each "
        "patient's probability of being improved, unchanged or worsened on the ODI/NDI at "
        "12 months, and of reaching the acceptable symptom state (PASS). Intended use: to inform "
        "the conversation between surgeon and patient; it suggests, it never diagnoses or decides.",
        "",
        "## Data and participants",
        "",
        f"- Fitted {model.fitted_at}; data fingerprint `{model.data_fingerprint}`; "
        f"knowledge version `{model.knowledge_version}`.",
        f"- {model.rows} rows; {model.patients_with_outcome} with a 12-month outcome; "
        f"{model.lost_to_followup} lost to follow-up (not used, never counted as success or "
        "failure).",
        "- Setting, eligibility, recruitment dates and centres: to be completed by the registry "
        "that fitted the model (not known to the model file).",
        "",
        "## Outcome",
        "",
        "Per-time-point outcome at 12 months from baseline and 12-month scores with the "
        "instrument's MCID, deterioration threshold and PASS value (knowledge/instruments). "
        f"Observed shares: {shares}.",
        "",
        "## Predictors",
        "",
        *_predictors(model),
        "",
        "## Sample size",
        "",
        f"{size.available} patients with outcomes for {size.parameters} parameters; minimum "
        f"{size.minimum} by the criteria of Riley et al. (BMJ 2020):",
        "",
        *(
            f"- {c['outcome']}: {c['criterion']} ≥ {c['minimum']} ({c['detail']})"
            for c in size.criteria
        ),
        "",
        "## Missing data",
        "",
        f"Multiple imputation by chained equations with predictive mean matching "
        f"({model.settings['imputations']} completed tables, outcomes in the imputation models), "
        "pooled by Rubin's rules. No patient is dropped for a missing predictor; a new patient's "
        "missing predictors are imputed from models without the outcome, and the interval widens.",
        "",
        "## Analysis",
        "",
        f"- {rules.model.choice_note}",
        f"- Ridge penalty chosen by corrected AIC: classes {classes.penalty:g} "
        f"(effective d.f. {classes.edf:.1f}), pass {passed.penalty:g} (effective d.f. "
        f"{passed.edf:.1f}); then uniform shrinkage by the bootstrap calibration slope: classes "
        f"{classes.shrinkage:.3f}, pass {passed.shrinkage:.3f}.",
        f"- Internal validation: {model.settings.get('bootstrap_used', model.settings['bootstrap'])} "
        "bootstrap resamples (optimism correction, each refit shrunk the same way).",
        "- Fairness: calibration by sex and age band below; by surgeon and clinic in the registry.",
        "",
        "## Model specification",
        "",
        "Intercepts (classes, cumulative logits for ≥ unchanged and ≥ improved): "
        + ", ".join(f"{a:+.4f}" for a in classes.intercepts)
        + f"; pass: {passed.intercepts[0]:+.4f}. Coefficients apply to design columns centred "
        "and scaled as stored in the model file.",
        "",
        *_coefficients(model),
        "",
        "Partial proportional odds (first cumulative logit only): "
        + (
            ", ".join(
                f"{name} {value:+.3f}"
                for name, value in zip(
                    [
                        [c for t in model.terms for c in t.columns()][i]
                        for i in model.partial_columns
                    ],
                    classes.partial,
                    strict=True,
                )
            )
            or "none"
        )
        + ".",
        "",
        "## Model performance",
        "",
        *_performance(model, figures),
        "## Model updating",
        "",
        (
            "Recalibrated on a clinic's own outcomes from " + str(model.parent_version)
            if model.recalibration
            else "Not recalibrated. A clinic recalibrates intercepts and slope on its own outcomes "
            "(`spinetrack risk recalibrate`); every refit is compared with the previous model."
        ),
        "",
        "## Limitations and open-science items",
        "",
        "- External validation: none stored in this file.",
        "- Funding, conflicts of interest, protocol, registration, patient and public "
        "involvement: to be completed by the registry.",
        "- Code: spinetrack (open source), package `spinetrack.prediction`; settings and sources "
        "in knowledge/prediction/model.yaml.",
        "",
    ]
    return "\n".join(lines)


def model_card(model: Model, html: bool = False) -> str:
    """The card as Markdown, or as a standalone HTML page."""
    text = markdown_card(model, figures=html)
    if not html:
        return text
    body = MarkdownIt("commonmark").enable("table").render(text)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Model card {model.version_id}</title></head><body>\n{body}</body></html>\n"
    )
