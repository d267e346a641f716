#!/usr/bin/env python3
"""Draws RatingRL's figures from the tidy tables `ratingrl plot` writes.

Reads TABLES/runs.csv (one row per run and evaluation) and TABLES/feedback.csv
(one row per run and feedback round) and writes, as SVG and PNG, into OUT:

  fig2_learning_curves  mean true evaluation return against environment steps,
                        standard-error band over seeds, one panel per task and n,
                        PPO on the true reward as the reference
  fig3_final_returns    final true return per method, one panel per task and n,
                        mean with standard error and each seed as a dot
  aggregate_iqm         interquartile mean over tasks of final returns
                        normalised by 1000 (the most a DMC episode can return)
                        with stratified-bootstrap 95% intervals (rliable), and
                        the probability that each rating method improves on rbrl
  feedback_rounds       per feedback round: Spearman correlation of learned and
                        true returns on held-out segments, and the learned weights
  fig4_classes          final true return against the number of rating classes n,
                        one panel per task rated at two or more n, PPO on the true
                        reward as a line (the paper's question: at which n, if any,
                        does a rating method match PPO?)

Only finished runs count, each seed once (copies are left out). A figure with no
data is skipped with a note on standard output.
"""

import argparse
import math
import re
import textwrap
import sys
import warnings
from pathlib import Path
from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402
from rliable import library as rly  # noqa: E402
from rliable import metrics  # noqa: E402

METHODS = ["ppo", "rbrl", "ours", "ours-equal", "ours-cls", "ours-reg"]
# Okabe-Ito colours, fixed per method so every figure agrees.
COLOURS = {
    "ppo": "#000000",
    "rbrl": "#0072B2",
    "ours": "#D55E00",
    "ours-equal": "#009E73",
    "ours-cls": "#CC79A7",
    "ours-reg": "#E69F00",
}
EXTRA_COLOURS = ["#56B4E9", "#F0E442", "#999999", "#882255", "#44AA99"]
LABELS = {
    "ppo": "PPO (true reward)",
    "rbrl": "RbRL",
    "ours": "ours",
    "ours-equal": "ours, equal weights",
    "ours-cls": "ours, L_cls only",
    "ours-reg": "ours, L_reg only",
}
# The most a DeepMind Control Suite episode can return (1000 steps, reward ≤ 1).
MAX_RETURN = 1000.0
PANEL_WIDTH = 3.3  # inches: one column of a two-column paper
PANEL_HEIGHT = 2.2
CLASSES = "feedback.classes"
# arch (under rliable) warns that its RandomState argument will change; the
# figures pass one on purpose so that the intervals are reproducible.
warnings.filterwarnings("ignore", category=FutureWarning, module="arch")

plt.rcParams.update({
    "font.size": 7,
    "axes.titlesize": 8,
    "axes.labelsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "lines.linewidth": 1.2,
    "svg.fonttype": "none",
    "savefig.dpi": 200,
})


def note(message):
    print(f"plot: {message}")


def method_rank(method):
    return METHODS.index(method) if method in METHODS else len(METHODS)


class Styles:
    """Fixed colour per method; a method run in several variants (say two
    values of α) gets one line style (and bar hatch) per variant, and only
    then the variant in its label."""

    LINES = ["-", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1))]
    HATCHES = ["", "///", "...", "xxx", "\\\\\\"]

    def __init__(self, frame):
        methods = sorted(frame["method"].unique(), key=lambda m: (method_rank(m), m))
        others = [m for m in methods if m not in COLOURS]
        self.colours = dict(COLOURS)
        self.colours.update({m: EXTRA_COLOURS[i % len(EXTRA_COLOURS)] for i, m in enumerate(others)})
        self.variants = {m: sorted(frame.loc[frame["method"] == m, "variant"].unique()) for m in methods}

    def colour(self, method):
        return self.colours.get(method, "#999999")

    def index(self, method, variant):
        variants = self.variants.get(method, [variant])
        return variants.index(variant) if variant in variants else 0

    def line(self, method, variant):
        # PPO, the reference, is dashed.
        styles = ["--"] + self.LINES[1:] if method == "ppo" else self.LINES
        return styles[self.index(method, variant) % len(styles)]

    def hatch(self, method, variant):
        return self.HATCHES[self.index(method, variant) % len(self.HATCHES)]

    def label(self, method, variant):
        text = LABELS.get(method, method)
        if len(self.variants.get(method, [])) <= 1 or not variant:
            return text
        # "feedback.training.stopRule=accuracy" reads as "stopRule=accuracy".
        short = re.sub(r"[A-Za-z0-9_.]*[.]([A-Za-z0-9_]+)=", r"\1=", variant)
        return f"{text} ({short})"


def steps_text(value, _position=None):
    """Environment steps as 0, 500, 20k, 1.5M."""
    if value == 0:
        return "0"
    if abs(value) >= 1e6:
        return f"{value / 1e6:g}M"
    if abs(value) >= 1e3:
        return f"{value / 1e3:g}k"
    return f"{value:g}"


def classes_text(classes):
    return "" if pd.isna(classes) else f"n = {int(classes)}"


def panel_title(task, classes):
    text = classes_text(classes)
    return f"{task}, {text}" if text else task


def mean_and_se(values):
    values = np.asarray(values, dtype=float)
    mean = values.mean()
    se = values.std(ddof=1) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return mean, se


def load(tables):
    runs = pd.read_csv(tables / "runs.csv", dtype={"variant": str, "duplicate_of": str, "returns": str})
    feedback = pd.read_csv(tables / "feedback.csv", dtype={"variant": str, "duplicate_of": str})
    frames = []
    for frame in (runs, feedback):
        frame["variant"] = frame["variant"].fillna("")
        copies = frame["duplicate_of"].notna()
        unfinished = ~frame["finished"].astype(bool)
        if CLASSES not in frame:
            frame[CLASSES] = np.nan
        frames.append(frame[~copies & ~unfinished].copy())
    left_out = runs.loc[~runs["finished"].astype(bool) & runs["duplicate_of"].isna(), "run"].nunique()
    copies = runs.loc[runs["duplicate_of"].notna(), "run"].nunique()
    if left_out:
        note(f"{left_out} unfinished run(s) left out")
    if copies:
        note(f"{copies} copied run(s) (a seed repeated within a group) left out")
    return frames


def panels_of(runs):
    """(task, n) pairs: each task with each n its rating runs use; a task with
    PPO runs only gets one panel with no n."""
    panels = []
    for task in sorted(runs["task"].unique()):
        classes = sorted(runs.loc[(runs["task"] == task) & runs[CLASSES].notna(), CLASSES].unique())
        panels += [(task, n) for n in classes] if classes else [(task, np.nan)]
    return panels


def panel_rows(frame, task, classes):
    """Rows of one panel: the task's runs with that n, and its PPO runs (no n)."""
    rows = frame[frame["task"] == task]
    if pd.isna(classes):
        return rows[rows[CLASSES].isna()]
    return rows[(rows[CLASSES] == classes) | rows[CLASSES].isna()]


def series_of(rows):
    keys = rows[["method", "variant"]].drop_duplicates().itertuples(index=False)
    return sorted(keys, key=lambda key: (method_rank(key[0]), key[0], key[1]))


def grid(count, width=PANEL_WIDTH, height=PANEL_HEIGHT, columns=None, extra_lines=0):
    """A figure of `count` panels, two per row, with room for `extra_lines`
    of legend and caption below."""
    columns = columns or min(count, 2)
    rows = math.ceil(count / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(width * columns, height * rows + LINE * extra_lines + 0.1),
                                squeeze=False)
    for axis in axes.flat[count:]:
        axis.set_visible(False)
    return figure, axes.flat[:count]


def seeds_text(frame, keys=("task", CLASSES, "method", "variant")):
    """"2 seeds" or "2–3 seeds": the range of run counts over the series shown."""
    counts = frame.groupby(list(keys), dropna=False)["run"].nunique()
    low, high = counts.min(), counts.max()
    return f"{low} seed{'s' if high > 1 else ''}" if low == high else f"{low}–{high} seeds"


LINE = 0.16  # inches per line of legend or caption text
CAPTION_CHARS_PER_INCH = 17  # characters of 7 pt legend or caption text per inch
LABEL_CHARS_PER_INCH = 15  # characters of tick and row labels per inch (wider glyphs, some margin)


def legend_columns(labels, width):
    """Up to three columns, fewer when the longest label would not fit the
    figure's width (plus the line sample)."""
    longest = max((len(label) for label in labels), default=1) + 6
    return max(1, min(3, len(labels), int(width * CAPTION_CHARS_PER_INCH / longest)))


def legend_rows(labels, width=None):
    """Rows of the legend; without a width, as if three columns fit."""
    if not labels:
        return 0
    return math.ceil(len(labels) / (legend_columns(labels, width) if width else 3))


class Output(NamedTuple):
    """Where figures go, and the line stamped under each (say, the commit
    and command that made the runs), if any."""
    folder: Path
    stamp: str | None = None

    def __truediv__(self, name):
        return self.folder / name


def save(figure, out, name, legend=None, caption=None):
    """Lays out the panels above a shared legend ((rank, method, variant) →
    (label, handle)), a caption and the output's stamp, then writes name.svg
    and name.png. The figure grows when the caption wraps or long labels need
    more legend rows than the three-column legend it was sized for."""
    width = figure.get_figwidth()
    entries = [legend[key] for key in sorted(legend)] if legend else []  # methods in their fixed order
    labels = [label for label, _ in entries]
    rows = legend_rows(labels, width)
    # Wrapped to the figure's width.
    lines = [line for text in (caption, out.stamp) if text for line in textwrap.wrap(text, width=max(20, int(width * CAPTION_CHARS_PER_INCH)))]
    height = figure.get_figheight() + LINE * (rows - legend_rows(labels) + max(0, len(lines) - 1))
    figure.set_figheight(height)
    bottom = 0.04
    if lines:
        figure.text(0.5, bottom / height, "\n".join(lines), ha="center", va="bottom", fontsize=7, color="0.3",
                    linespacing=1.3)
        bottom += LINE * len(lines) + 0.02
    if entries:
        figure.legend([handle for _, handle in entries], labels, loc="lower center",
                      ncol=legend_columns(labels, width), frameon=False,
                      bbox_to_anchor=(0.5, bottom / height), borderaxespad=0)
        bottom += LINE * rows + 0.06
    figure.tight_layout(rect=(0, bottom / height if bottom > 0.04 else 0, 1, 1))
    for suffix in ("svg", "png"):
        figure.savefig(out / f"{name}.{suffix}")
    plt.close(figure)
    note(f"wrote {out / name}.svg and .png")


def learning_curves(runs, out, styles):
    if runs.empty:
        note("no evaluations of finished runs: skipped fig2_learning_curves")
        return
    if not (runs["method"] == "ppo").any():
        note("no ppo runs: learning curves have no true-reward reference")
    panels = panels_of(runs)
    legend_entries = {}
    figure, axes = grid(len(panels), extra_lines=legend_rows(series_of(runs)) + 1)
    for axis, (task, classes) in zip(axes, panels):
        rows = panel_rows(runs, task, classes)
        for method, variant in series_of(rows):
            curve = rows[(rows["method"] == method) & (rows["variant"] == variant)]
            stats = curve.groupby("env_steps")["mean_return"].agg(["mean", "std", "count"]).reset_index()
            se = (stats["std"] / np.sqrt(stats["count"])).fillna(0.0)
            (line,) = axis.plot(stats["env_steps"], stats["mean"], linestyle=styles.line(method, variant),
                                color=styles.colour(method))
            axis.fill_between(stats["env_steps"], stats["mean"] - se, stats["mean"] + se, color=styles.colour(method),
                              alpha=0.2, linewidth=0)
            legend_entries.setdefault((method_rank(method), method, variant), (styles.label(method, variant), line))
        axis.set_title(panel_title(task, classes))
        axis.set_xlabel("environment steps")
        axis.set_ylabel("true return")
        axis.xaxis.set_major_formatter(FuncFormatter(steps_text))
        axis.set_ylim(bottom=min(0, axis.get_ylim()[0]))
        axis.grid(True, linewidth=0.3, alpha=0.5)
    save(figure, out, "fig2_learning_curves", legend_entries,
         caption=f"deterministic evaluations; lines: mean, bands: ± standard error over {seeds_text(runs)}")


def final_returns(runs):
    """The last evaluation of each finished run (the run's final evaluation)."""
    last = runs.sort_values("env_steps").groupby("run").tail(1)
    return last.rename(columns={"mean_return": "final_return"})


def final_return_bars(runs, out, styles):
    finals = final_returns(runs)
    if finals.empty:
        note("no finished runs: skipped fig3_final_returns")
        return
    panels = panels_of(finals)
    # Panels widen past four bars, so that each bar keeps room for its label.
    bars = max(len(series_of(panel_rows(finals, task, classes))) for task, classes in panels)
    panel_width = PANEL_WIDTH * max(1.0, bars / 4)
    figure, axes = grid(len(panels), width=panel_width, extra_lines=1)
    for axis, (task, classes) in zip(axes, panels):
        rows = panel_rows(finals, task, classes)
        keys = series_of(rows)
        for position, (method, variant) in enumerate(keys):
            values = rows.loc[(rows["method"] == method) & (rows["variant"] == variant), "final_return"].to_numpy()
            mean, se = mean_and_se(values)
            axis.bar(position, mean, width=0.65, color=styles.colour(method), alpha=0.85,
                     hatch=styles.hatch(method, variant), edgecolor="white", linewidth=0,
                     yerr=se if len(values) > 1 else None, capsize=2.5, error_kw={"linewidth": 0.8})
            jitter = np.linspace(-0.12, 0.12, len(values)) if len(values) > 1 else [0.0]
            axis.scatter(position + np.asarray(jitter), values, s=6, color="white", edgecolors="black",
                         linewidths=0.5, zorder=3)
        axis.set_xticks(range(len(keys)))
        # Each label wrapped to its bar's share of the panel.
        share = max(8, int(panel_width * LABEL_CHARS_PER_INCH / max(1, len(keys))))
        axis.set_xticklabels(["\n".join(textwrap.wrap(styles.label(m, v).replace("=", "= "), width=share,
                                                     break_long_words=False)).replace("= ", "=") for m, v in keys])
        axis.set_title(panel_title(task, classes))
        axis.set_ylabel("final true return")
        axis.set_ylim(bottom=0)
        axis.grid(True, axis="y", linewidth=0.3, alpha=0.5)
    save(figure, out, "fig3_final_returns",
         caption=f"bars: mean ± standard error over {seeds_text(finals)}; dots: seeds")


def classes_figure(runs, out, styles):
    """Final return against n per rating method, one panel per task whose
    rating runs use two or more n; PPO's final return (no n) as a band."""
    finals = final_returns(runs)
    rated = finals[finals[CLASSES].notna()]
    tasks = [task for task in sorted(rated["task"].unique())
             if rated.loc[rated["task"] == task, CLASSES].nunique() > 1]
    if not tasks:
        note("no task rated at two or more n: skipped fig4_classes")
        return
    legend_entries = {}
    figure, axes = grid(len(tasks), extra_lines=legend_rows(series_of(finals)) + 1)
    for axis, task in zip(axes, tasks):
        rows = finals[finals["task"] == task]
        classes = sorted(rows[CLASSES].dropna().unique())
        # The x range: every n with a margin; PPO's band spans all of it.
        limits = (classes[0] - 0.3, classes[-1] + 0.3)
        keys = series_of(rows)
        # Series side by side at each n, so that their error bars and dots do not overlap.
        rating_keys = [key for key in keys if key[0] != "ppo"]
        offsets = np.linspace(-0.12, 0.12, len(rating_keys)) if len(rating_keys) > 1 else [0.0]
        for method, variant in keys:
            series = rows[(rows["method"] == method) & (rows["variant"] == variant)]
            colour = styles.colour(method)
            if method == "ppo":
                mean, se = mean_and_se(series["final_return"])
                handle = axis.axhline(mean, color=colour, linestyle=styles.line(method, variant), linewidth=1.0)
                axis.fill_between(limits, mean - se, mean + se, color=colour, alpha=0.12, linewidth=0)
            else:
                offset = offsets[rating_keys.index((method, variant))]
                points = [(n, series.loc[series[CLASSES] == n, "final_return"].to_numpy()) for n in classes]
                points = [(n, values) for n, values in points if len(values)]
                stats = [mean_and_se(values) for _, values in points]
                xs = np.array([n for n, _ in points]) + offset
                handle = axis.errorbar(xs, [m for m, _ in stats], yerr=[e for _, e in stats], color=colour,
                                       linestyle=styles.line(method, variant), marker="o", markersize=3,
                                       capsize=2, elinewidth=0.8)
                for x, (_, values) in zip(xs, points):
                    axis.scatter(np.full(len(values), x), values, s=5, color="white", edgecolors=colour,
                                 linewidths=0.5, zorder=3)
            legend_entries.setdefault((method_rank(method), method, variant), (styles.label(method, variant), handle))
        axis.set_xticks(classes)
        axis.set_xticklabels([f"{int(n)}" for n in classes])
        axis.set_xlim(*limits)
        axis.set_title(task)
        axis.set_xlabel("rating classes n")
        axis.set_ylabel("final true return")
        axis.set_ylim(bottom=0)
        axis.grid(True, axis="y", linewidth=0.3, alpha=0.5)
    save(figure, out, "fig4_classes", legend_entries,
         caption=f"markers: mean ± standard error over {seeds_text(finals)}, open dots: seeds; "
                 "line and band: PPO on the true reward, mean ± standard error")


def score_matrix(finals, method, variant, tasks):
    """Normalised final returns, runs × tasks, with as many runs per task as
    the task with the fewest (rliable needs a full matrix)."""
    columns = []
    for task in tasks:
        values = finals.loc[(finals["method"] == method) & (finals["variant"] == variant) & (finals["task"] == task)]
        columns.append(values.sort_values("seed")["final_return"].to_numpy() / MAX_RETURN)
    runs = min(len(column) for column in columns)
    return np.stack([column[:runs] for column in columns], axis=1)


def interval_rows(axis, entries, xlabel, styles):
    """Horizontal intervals, one row per entry: (label, method, point, low, high)."""
    for position, (label, method, point, low, high) in enumerate(entries):
        axis.plot([low, high], [position, position], color=styles.colour(method), linewidth=5, alpha=0.4,
                  solid_capstyle="butt")
        axis.plot([point], [position], "|", color=styles.colour(method), markersize=10, markeredgewidth=1.6)
    axis.set_yticks(range(len(entries)))
    axis.set_yticklabels([entry[0] for entry in entries])
    axis.set_ylim(len(entries) - 0.5, -0.5)
    axis.set_xlabel(xlabel)
    axis.grid(True, axis="x", linewidth=0.3, alpha=0.5)
    axis.spines["left"].set_visible(False)
    axis.tick_params(axis="y", length=0)


def aggregate_panels(rows, classes, reps, random, styles):
    """What one n's pair of panels shows, or a reason there is nothing to show."""
    keys = series_of(rows)
    task_sets = {key: set(rows.loc[(rows["method"] == key[0]) & (rows["variant"] == key[1]), "task"]) for key in keys}
    where = classes_text(classes) or "all runs"
    # Every method is scored on the same tasks: all tasks of the rating
    # methods (PPO is only the reference), if some methods cover them all (the
    # others are left out), else the tasks all share.
    rating = [key for key in keys if key[0] != "ppo"]
    all_tasks = set.union(*(task_sets[key] for key in rating)) if rating else set(rows["task"])
    complete = [key for key in keys if task_sets[key] >= all_tasks]
    if complete:
        tasks = sorted(all_tasks)
        for key in keys:
            if key not in complete:
                note(f"aggregate, {where}: {styles.label(*key)} left out: it has runs on "
                     f"{', '.join(sorted(task_sets[key]))} only, not on every task")
        keys = complete
    else:
        tasks = sorted(set.intersection(*task_sets.values())) if task_sets else []
        for key in keys:
            if tasks and task_sets[key] != set(tasks):
                note(f"aggregate, {where}: {styles.label(*key)}'s runs on "
                     f"{', '.join(sorted(task_sets[key] - set(tasks)))} left out so that every method has the same tasks")
    if not tasks:
        return None, f"no task has finished runs of every method ({where})"
    scores = {key: score_matrix(rows, *key, tasks) for key in keys}
    point, interval = rly.get_interval_estimates({styles.label(*k): v for k, v in scores.items()},
                                                 lambda x: np.array([metrics.aggregate_iqm(x)]),
                                                 reps=reps, random_state=random)
    iqm = [(styles.label(*key), key[0], point[styles.label(*key)][0], *interval[styles.label(*key)][:, 0])
           for key in keys]
    improvement, missing = [], None
    baseline = [key for key in keys if key[0] == "rbrl"]
    rivals = [key for key in keys if key[0] not in ("ppo", "rbrl")]
    if baseline and rivals:
        # Each rival against rbrl run the same way (same variant), if there is such an rbrl.
        def against(key):
            return next((b for b in baseline if b[1] == key[1]), baseline[0])
        pairs = {f"{styles.label(*key)} > {styles.label(*against(key))}": (scores[key], scores[against(key)])
                 for key in rivals}
        point, interval = rly.get_interval_estimates(pairs, metrics.probability_of_improvement, reps=reps,
                                                     random_state=random)
        improvement = [(label, key[0], float(np.ravel(point[label])[0]), *np.ravel(interval[label]))
                       for label, key in zip(pairs, rivals)]
    else:
        missing = "no rbrl runs" if not baseline else "no rating method besides rbrl"
        note(f"aggregate, {where}: {missing}, so no probability of improvement")
    runs_per_task = sorted({matrix.shape[0] for matrix in scores.values()})
    return (tasks, runs_per_task, iqm, improvement, missing), None


def aggregate(runs, out, reps, styles):
    """IQM over tasks of normalised final returns (rliable, stratified bootstrap),
    and P(X > rbrl), for each n; panels stacked to fit one paper column."""
    finals = final_returns(runs)
    if finals.empty:
        note("no finished runs: skipped aggregate_iqm")
        return
    random = np.random.RandomState(0)
    sections = []
    for classes in sorted(finals[CLASSES].dropna().unique()) or [np.nan]:
        rows = finals if pd.isna(classes) else finals[(finals[CLASSES] == classes) | finals[CLASSES].isna()]
        content, reason = aggregate_panels(rows, classes, reps, random, styles)
        if content is None:
            note(f"aggregate: {reason}")
        else:
            sections.append((classes, content))
    if not sections:
        note("skipped aggregate_iqm")
        return
    heights, labels = [], []
    for _, (_, _, iqm, improvement, _) in sections:
        heights += [1.0 + 0.22 * len(iqm), 0.9 + 0.22 * len(improvement) if improvement else 0.3]
        labels += [entry[0] for entry in iqm + improvement]
    # Row labels sit left of the panels: widen the figure for long ones.
    width = PANEL_WIDTH + max(0, max(len(label) for label in labels) - 20) / LABEL_CHARS_PER_INCH
    figure, axes = plt.subplots(len(heights), 1, figsize=(width, sum(heights) + 0.2),
                                gridspec_kw={"height_ratios": heights}, squeeze=False)
    axes = axes[:, 0]
    for index, (classes, (tasks, runs_per_task, iqm, improvement, missing)) in enumerate(sections):
        iqm_axis, improvement_axis = axes[2 * index], axes[2 * index + 1]
        suffix = f", {classes_text(classes)}" if classes_text(classes) else ""
        runs_text = f"{runs_per_task[0]}" + (f"–{runs_per_task[-1]}" if len(runs_per_task) > 1 else "")
        caveat = ("\n(1 run per task: no interval)" if runs_per_task[0] < 2
                  else "\n(under 5 runs per task: CIs unreliable)" if runs_per_task[0] < 5 else "")
        interval_rows(iqm_axis, iqm, "IQM of final return / 1000", styles)
        iqm_axis.set_xlim(left=min(0.0, min(entry[3] for entry in iqm)))
        iqm_axis.xaxis.set_major_locator(MaxNLocator(nbins=5))
        iqm_axis.set_title(f"IQM{suffix}: {len(tasks)} task{'s' if len(tasks) != 1 else ''} × {runs_text} "
                           f"run{'s' if runs_per_task[-1] > 1 else ''} each\n95% stratified-bootstrap CI{caveat}",
                           fontsize=7)
        if improvement:
            interval_rows(improvement_axis, improvement, "probability of improvement", styles)
            improvement_axis.axvline(0.5, color="0.5", linewidth=0.6, linestyle=":")
            improvement_axis.set_xlim(0, 1)
            improvement_axis.set_title(f"P(X > RbRL){suffix}, 95% CI", fontsize=7)
        else:
            improvement_axis.axis("off")
            improvement_axis.text(0.5, 0.5, f"P(X > RbRL): {missing}", ha="center", va="center",
                                  transform=improvement_axis.transAxes, color="0.35")
    save(figure, out, "aggregate_iqm")


def feedback_rounds(feedback, out, styles):
    if feedback.empty:
        note("no feedback rounds of finished rating-method runs: skipped feedback_rounds")
        return
    panels = panels_of(feedback)
    measures = [
        ("spearman", None, "Spearman ρ, learned vs true\n(held-out segments)"),
        ("regression_weight", "learns_s1", "weight on $L_{reg}$: $\\frac{1}{2}e^{-s_1}$"),
        ("classification_weight", "learns_s2", "weight on $L_{cls}$: $e^{-s_2}$"),
    ]
    width = 2.35
    figure, axes = plt.subplots(len(panels), len(measures), figsize=(width * len(measures), 1.9 * len(panels)
                                                                       + LINE * (legend_rows(series_of(feedback)) + 1) + 0.2),
                                squeeze=False)
    legend_entries = {}
    for row, (task, classes) in enumerate(panels):
        rows = panel_rows(feedback, task, classes)
        for column, (measure, learns, label) in enumerate(measures):
            axis = axes[row][column]
            shown = rows if learns is None else rows[rows[learns].astype(bool)]
            for method, variant in series_of(shown):
                curve = shown[(shown["method"] == method) & (shown["variant"] == variant)]
                stats = curve.groupby("ratings")[measure].agg(["mean", "std", "count"]).reset_index()
                se = (stats["std"] / np.sqrt(stats["count"])).fillna(0.0)
                (line,) = axis.plot(stats["ratings"], stats["mean"], marker="o", color=styles.colour(method),
                                    linestyle=styles.line(method, variant), markersize=2.5)
                axis.fill_between(stats["ratings"], stats["mean"] - se, stats["mean"] + se, color=styles.colour(method),
                                  alpha=0.2, linewidth=0)
                legend_entries.setdefault((method_rank(method), method, variant), (styles.label(method, variant), line))
            if shown.empty:
                axis.text(0.5, 0.5, "no method here\nlearns this weight", ha="center", va="center",
                          transform=axis.transAxes, color="0.35")
            axis.set_title(f"{panel_title(task, classes)}", fontsize=7)
            axis.set_xlabel("ratings given")
            axis.set_ylabel(label)
            if measure == "spearman":
                low = rows[measure].min()
                axis.set_ylim(min(0.0, low - 0.05) if pd.notna(low) else 0.0, 1.0)
            else:
                # From 0, with the weight at s = 0 dotted, so small drifts look small.
                start = 0.5 if measure == "regression_weight" else 1.0
                axis.axhline(start, color="0.5", linewidth=0.6, linestyle=":")
                high = shown[measure].max() if not shown.empty else start
                axis.set_ylim(0, 1.15 * max(high, start))
            axis.grid(True, linewidth=0.3, alpha=0.5)
    save(figure, out, "feedback_rounds", legend_entries,
         caption=f"lines: mean, bands: ± standard error over {seeds_text(feedback)}; dotted: the weight at s = 0")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=Path, required=True, help="folder with runs.csv and feedback.csv")
    parser.add_argument("--out", type=Path, required=True, help="folder for the figures")
    parser.add_argument("--reps", type=int, default=2000, help="bootstrap resamples (default 2000)")
    parser.add_argument("--stamp", help="a line printed under every figure, e.g. the commit and command behind the runs")
    arguments = parser.parse_args()
    for name in ("runs.csv", "feedback.csv"):
        if not (arguments.tables / name).is_file():
            sys.exit(f"plot.py: no {name} in {arguments.tables}; run `ratingrl plot ROOT --out DIR` to write it")
    arguments.out.mkdir(parents=True, exist_ok=True)
    out = Output(arguments.out, arguments.stamp)
    runs, feedback = load(arguments.tables)
    styles = Styles(pd.concat([runs[["method", "variant"]], feedback[["method", "variant"]]]))
    learning_curves(runs, out, styles)
    final_return_bars(runs, out, styles)
    classes_figure(runs, out, styles)
    aggregate(runs, out, arguments.reps, styles)
    feedback_rounds(feedback, out, styles)


if __name__ == "__main__":
    main()
