"""Side-menu entries of this app (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("基础保障落实", "guarantees:dashboard", Section.OVERSIGHT, show=scoping.reads_records, active_on=("guarantees:dashboard",), order=70),
    MenuItem("保障核查填报", "guarantees:campaigns", Section.OVERSIGHT, show=scoping.reads_records,
             active_on=("guarantees:campaign*", "guarantees:report"), order=71),
    MenuItem("保障标准", "guarantees:standards", Section.OVERSIGHT, show=scoping.reads_records, active_on=("guarantees:standards",), order=72),
    MenuItem("乡镇干部条件", "guarantees:conditions", Section.OVERSIGHT, show=scoping.reads_records, active_on=("guarantees:conditions",), order=73),
]
