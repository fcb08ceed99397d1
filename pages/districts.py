"""区县对比: every area side by side, ranks, and a drill into any area."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, export, labels, navigation, url_state
from dashboard import comparison as cmp
from dashboard.components import page_header, table, wide_table_hint
from dashboard.context import get_context
from dashboard.overview import previous_filters
from data_access import rules

ctx = get_context()
page_header(labels.DISTRICTS_TITLE, ctx, st.session_state.get("_url_notices", ()))
names = ctx.area_names
f = ctx.filters
now = cmp.comparison(ctx, f)
city_ok = ctx.sees_city_wide  # a district account sees its own row only, no city-wide figures
if not city_ok:
    now = now.drop(index=cmp.CITY_ROW)
progress = cmp.progress(ctx, f)
ranks = cmp.ranks(now, progress)
areas = [a for a in now.index if a != cmp.CITY_ROW]

st.subheader(labels.COMPARISON_TABLE, help=labels.COMPARISON_HELP)
config = {m.label: st.column_config.Column(help=m.help) for m in cmp.METRICS}
wide_table_hint(len(cmp.METRICS) + 1)
st.dataframe(
    cmp.styled(now, ranks, names), width="stretch", column_config=config, height=min(35 * (len(now) + 1) + 3, 520)
)
mean_rank, used = cmp.composite(now, ranks)
if len(areas) > 1 and used:
    order = mean_rank.dropna().sort_values(kind="stable")
    place = order.round(6).rank(method="min").astype(int)
    st.caption(
        labels.CMP_COMPOSITE.format(
            order=" · ".join(f"{place[a]} {names.get(a, a)}（{order[a]:.1f}）" for a in order.index),
            how=labels.SCREEN_RANK_HOW.format(n=len(used), metrics="、".join(m.label for m in used)),
        )
    )
export.download_button(
    cmp.export_frame(now, ranks, names),
    url_state.file_stem(labels.DISTRICTS_TITLE, ctx.state, names, ctx.as_of),
    "dl_comparison",
    {"area": labels.COLUMNS["area"]},
)

st.subheader(labels.SECTION_DRILL)
left, right = st.columns([1, 3], vertical_alignment="bottom")
chosen = left.selectbox(labels.PICK_AREA, areas, format_func=names.get, key="cmp_area")
with right, st.container(horizontal=True):
    for key in ("contacts", "branches", "money"):
        params = {**url_state.to_params(ctx.state, ctx.as_of), "area": [chosen], "from": ["districts"]}
        st.page_link(
            navigation.link_target(key),
            label=labels.DRILL_TO.format(page=labels.PAGE_TITLES[key], area=names[chosen]),
            icon=":material/open_in_new:",
            query_params=params,
        )

st.subheader(labels.SECTION_METRIC_BARS)
metric_keys = [m.key for m in cmp.METRICS]
metric = cmp.BY_KEY[
    st.selectbox(
        labels.PICK_METRIC,
        metric_keys,
        index=metric_keys.index(cmp.default_metric(now.loc[areas + ([cmp.CITY_ROW] if city_ok else [])]).key),
        format_func=lambda k: cmp.BY_KEY[k].label,
        key="cmp_metric",
    )
]
missing = [names[a] for a in areas if now.loc[a, metric.key] != now.loc[a, metric.key]]
if missing:
    st.caption(labels.CMP_METRIC_MISSING.format(n=len(missing), areas="、".join(missing)))
values = now.loc[areas, metric.key]
city_value = float(now.loc[cmp.CITY_ROW, metric.key]) if city_ok else None
st.plotly_chart(
    charts.bars_with_reference(
        [names[a] for a in areas],
        values.tolist(),
        ids=areas,
        title=labels.CHART_METRIC_BY_AREA.format(metric=metric.label),
        reference=float(now.loc[cmp.CITY_ROW, metric.key]) if city_ok else None,
        reference_label=f"{labels.CITY_WIDE} {cmp.format_value(metric, now.loc[cmp.CITY_ROW, metric.key])}"
        if city_ok
        else "",
        percent=metric.kind == "rate",
        lagging=[rules.lags(v, city_value) for v in values]
        if metric.better == "high" and metric.kind == "rate"
        else None,
    ),
    key="cmp_bars",
    theme=None,
    config={"displayModeBar": False},
)
st.caption(metric.help)

left, right = st.columns(2)
with left:
    st.subheader(labels.SECTION_PROFILE)
    if not city_ok:
        st.info(labels.NO_CITY_WIDE)
    else:
        st.plotly_chart(
            charts.profile(
                [m.label for m in cmp.PROFILE_METRICS],
                cmp.profile_index(now, chosen),
                [m.better for m in cmp.PROFILE_METRICS],
                title=labels.CHART_PROFILE.format(area=names[chosen]),
            ),
            key="cmp_profile",
            theme=None,
            config={"displayModeBar": False},
        )
        st.caption(labels.CMP_PROFILE_NOTE)
with right:
    st.subheader(labels.SECTION_SCATTER)
    cx, cy = st.columns(2)
    keys = [m.key for m in cmp.METRICS]
    mx = cmp.BY_KEY[
        cx.selectbox(
            labels.PICK_X, keys, index=keys.index("coverage"), format_func=lambda k: cmp.BY_KEY[k].label, key="cmp_x"
        )
    ]
    my = cmp.BY_KEY[
        cy.selectbox(
            labels.PICK_Y, keys, index=keys.index("overdue"), format_func=lambda k: cmp.BY_KEY[k].label, key="cmp_y"
        )
    ]
    st.plotly_chart(
        charts.scatter(
            now.loc[areas, mx.key].tolist(),
            now.loc[areas, my.key].tolist(),
            [names[a] for a in areas],
            title=labels.CHART_SCATTER.format(x=mx.label, y=my.label),
            x_title=mx.label,
            y_title=my.label,
            x_percent=mx.kind == "rate",
            y_percent=my.kind == "rate",
        ),
        key="cmp_scatter",
        theme=None,
        config={"displayModeBar": False},
    )

st.subheader(labels.SECTION_YOY, help=metric.help)
prev = previous_filters(ctx)
if prev is None:
    st.info(labels.YOY_NONE)
else:
    before = cmp.comparison(ctx, prev)
    yoy = cmp.year_over_year(now, before, metric, names)
    st.caption(f"{metric.label}：{url_state.period_text(ctx.state)} 与上年同期")
    left_out = len(now) - len(yoy)
    if left_out:
        st.caption(labels.CMP_YOY_LEFT_OUT.format(n=left_out))
    table(
        yoy,
        percent=["before", "now"] if metric.kind == "rate" else (),
        key="cmp_yoy",
        stem=url_state.file_stem(f"{labels.DISTRICTS_TITLE}_同比_{metric.label}", ctx.state, names, ctx.as_of),
    )
