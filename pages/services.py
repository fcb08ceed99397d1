"""精准服务: are the four service tiers contacted as often as promised, and are the eight
personalised services requested, delivered and delivered quickly — where, by whom, and
which requests are still open?"""

from __future__ import annotations

import streamlit as st

from dashboard import drill, labels, metrics
from dashboard import services_view as view
from dashboard.components import page_header
from dashboard.context import get_context

ctx = get_context()
level, f, drill_notices = view.resolve(ctx)
page_header(labels.SERVICES_TITLE, ctx, drill_notices)

drill.topic_breadcrumbs(ctx, level, labels.SERVICE[level.category] if level.category else None)

view.kpis(ctx, f, level.category)
if level.category:
    st.subheader(labels.SERVICES_SECTION_REQUESTS)
    view.requests(ctx, f, level.area, level.category)
    st.stop()

if not level.area:
    st.subheader(labels.SERVICES_SECTION_AREAS, help=metrics.get("services_delivery_rate").help)
    view.by_area(ctx, f)
st.subheader(labels.SERVICES_SECTION_SERVICES, help=metrics.get("services_days").help)
view.by_service(ctx, f, level.area)
st.subheader(labels.SERVICES_SECTION_PROVIDERS)
view.by_provider(ctx, f)
st.subheader(labels.SERVICES_SECTION_TIERS, help=metrics.get("services_tier_compliance").help)
view.tiers(ctx, f)
