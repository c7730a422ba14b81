"""Equivalence path search and mapping quality checks on small hand-built graphs."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.equivalence import (
    MAX_DEPTH,
    LevelRef,
    MappingEdge,
    MappingIndex,
    SearchTooBroad,
    check_mapping_quality,
    compose_all,
    find_equivalences,
    framework_of,
    path_confidence,
)
from app.domain.vocab import MatchType
from app.services.messages import Words

EXACT, CLOSE, BROAD, NARROW, RELATED = (
    MatchType.EXACT,
    MatchType.CLOSE,
    MatchType.BROAD,
    MatchType.NARROW,
    MatchType.RELATED,
)

_ids = itertools.count(1)


def edge(source, target, match_type, confidence=1.0, review_status="accepted", id=None):
    """A mapping with placeholder provenance; ``id`` defaults to a fresh one."""
    return MappingEdge(
        id=id or f"m{next(_ids):04d}",
        source=source,
        target=target,
        match_type=match_type,
        confidence=confidence,
        review_status=review_status,
        method="official_referencing",
        status="verified",
        source_document="test referencing report",
        source_publisher="test",
        source_year=2024,
        source_url=None,
        asserted_by="tests",
        date="2024-01-01",
    )


def search(edges, start, target=None, **kwargs):
    return find_equivalences(MappingIndex.from_edges(edges), start, target, **kwargs)


def walked(eq):
    return [(s.edge.id, s.direction, s.walked_type) for s in eq.path]


def by_target(result):
    return {eq.target: eq for eq in result.equivalences}


@pytest.fixture
def ireland():
    """IE-NFQ 7 and 8 both referenced to EQF 6 (many-to-one), NLQF one-to-one (close),
    Scottish SCQF 9 and 10 to EQF 6, ISCED reached from NLQF and directly from IE 8,
    and mappings that must not count (proposed, rejected, superseded)."""
    return [
        edge("IE-NFQ:8", "EQF:6", BROAD, 0.9, id="m1"),
        edge("IE-NFQ:7", "EQF:6", BROAD, 0.9, id="m2"),
        edge("NL-NLQF:6", "EQF:6", CLOSE, 0.8, id="m3"),
        edge("IE-NFQ:9", "EQF:7", EXACT, 1.0, id="m4"),
        edge("NL-NLQF:7", "EQF:7", EXACT, 1.0, id="m5"),
        edge("NL-NLQF:6", "ISCED:6", BROAD, 0.5, id="m6"),
        edge("UK-SCQF:9", "EQF:6", BROAD, 0.9, id="m7"),
        edge("UK-SCQF:10", "EQF:6", BROAD, 0.9, id="m8"),
        edge("IE-NFQ:8", "ISCED:6", BROAD, 0.7, id="m9"),
        edge("IE-NFQ:8", "NL-NLQF:7", EXACT, 0.6, "proposed", id="p1"),
        edge("IE-NFQ:8", "EQF:7", EXACT, 1.0, "rejected", id="r1"),
        edge("IE-NFQ:8", "EQF:6", EXACT, 1.0, "superseded", id="s1"),
        edge("NZ-NZQCF:7", "AU-AQF:7", BROAD, 0.5, id="m10"),
        edge("NZ-NZQCF:8", "AU-AQF:8", BROAD, 0.5, "proposed", id="p2"),
    ]


# --------------------------------------------------------------------------- answers


def test_national_level_reaches_its_eqf_level_as_broad(ireland):
    result = search(ireland, "IE-NFQ:8", "EQF")
    assert [eq.target for eq in result.equivalences] == ["EQF:6"]
    (eq,) = result.equivalences
    assert (eq.match_type, eq.confidence, eq.hops) == (BROAD, 0.9, 1)
    assert walked(eq) == [("m1", "forward", BROAD)]
    assert result.no_equivalence is None


def test_broad_then_close_walked_backwards_reaches_nlqf_as_broad(ireland):
    # IE 8 broadMatch EQF 6; NL 6 closeMatch EQF 6 walked backwards is still closeMatch.
    eq = by_target(search(ireland, "IE-NFQ:8", "NL-NLQF"))["NL-NLQF:6"]
    assert eq.match_type is BROAD
    assert eq.confidence == pytest.approx(0.72)
    assert walked(eq) == [("m1", "forward", BROAD), ("m3", "backward", CLOSE)]
    assert [s.to_level for s in eq.path] == ["EQF:6", "NL-NLQF:6"]


def test_siblings_under_one_eqf_level_are_only_related(ireland):
    result = search(ireland, "IE-NFQ:8", "UK-SCQF")
    assert [eq.target for eq in result.equivalences] == ["UK-SCQF:10", "UK-SCQF:9"]
    for eq in result.equivalences:
        assert eq.match_type is RELATED
        assert walked(eq)[1][1:] == ("backward", NARROW)


def test_levels_of_the_origin_framework_are_never_reported(ireland):
    result = search(ireland, "IE-NFQ:8", max_depth=MAX_DEPTH, paths="all")
    assert result.equivalences
    for eq in result.equivalences:
        assert framework_of(eq.target) != "IE-NFQ"
        assert all(framework_of(s.to_level) != "IE-NFQ" for s in eq.path)


def test_without_target_every_other_framework_is_answered_in_trust_order(ireland):
    result = search(ireland, "IE-NFQ:8")
    # broad 0.9 (1 hop), broad 0.72 (broad then close backward), broad 0.7, then the two
    # related SCQF levels (broad then narrow) at 0.81, by code.
    assert [(eq.target, eq.match_type) for eq in result.equivalences] == [
        ("EQF:6", BROAD), ("NL-NLQF:6", BROAD), ("ISCED:6", BROAD),
        ("UK-SCQF:10", RELATED), ("UK-SCQF:9", RELATED),
    ]


def _with_status(e: MappingEdge, status: str) -> MappingEdge:
    return MappingEdge(**{**e.__dict__, "status": status})


def test_verified_evidence_ranks_before_unverified_before_illustrative_at_equal_type():
    edges = [
        _with_status(edge("A:1", "ILL:1", CLOSE, 0.99, id="e1"), "illustrative"),
        _with_status(edge("A:1", "UNV:1", CLOSE, 0.95, id="e2"), "unverified"),
        _with_status(edge("A:1", "VER:1", CLOSE, 0.5, id="e3"), "verified"),
        _with_status(edge("A:1", "EXA:1", EXACT, 0.2, id="e4"), "illustrative"),
    ]
    result = search(edges, "A:1")
    # strongest type first (even illustrative), then evidence, whatever the confidence
    assert [eq.target for eq in result.equivalences] == ["EXA:1", "VER:1", "UNV:1", "ILL:1"]


def test_confidence_then_hops_order_answers_of_equal_type_and_evidence():
    edges = [edge("A:1", "B:1", CLOSE, 0.6, id="f1"), edge("A:1", "C:1", CLOSE, 0.9, id="f2"),
             edge("C:1", "D:1", EXACT, 1.0, id="f3"), edge("A:1", "E:1", CLOSE, 0.9, id="f4")]
    result = search(edges, "A:1")
    # C:1 and E:1 tie on type, evidence and confidence, D:1 too but with two hops
    assert [eq.target for eq in result.equivalences] == ["C:1", "E:1", "D:1", "B:1"]


def test_answers_are_grouped_by_framework_in_the_order_of_their_best_answer():
    edges = [edge("A:1", "X:1", EXACT, 1.0, id="g1"), edge("A:1", "Y:1", CLOSE, 0.9, id="g2"),
             edge("A:1", "X:2", RELATED, 0.3, id="g3"), edge("A:1", "Y:2", BROAD, 0.9, id="g4")]
    result = search(edges, "A:1")
    # X's best (exact) ranks first, so X:2 (related) comes before Y:1 (close): grouped
    assert [eq.target for eq in result.equivalences] == ["X:1", "X:2", "Y:1", "Y:2"]


def test_ordinals_order_the_targets_inside_a_framework(ireland):
    ordinals = {"UK-SCQF:9": 9, "UK-SCQF:10": 10}
    result = search(ireland, "IE-NFQ:8", "UK-SCQF", ordinals=ordinals)
    assert [eq.target for eq in result.equivalences] == ["UK-SCQF:9", "UK-SCQF:10"]


def test_walking_a_mapping_backwards_inverts_broad_to_narrow(ireland):
    result = search(ireland, "EQF:6", "IE-NFQ", ordinals={"IE-NFQ:7": 7, "IE-NFQ:8": 8})
    assert [(eq.target, eq.match_type) for eq in result.equivalences] == [
        ("IE-NFQ:7", NARROW), ("IE-NFQ:8", NARROW),
    ]
    assert all(eq.path[0].direction == "backward" for eq in result.equivalences)


def test_best_path_prefers_the_direct_mapping(ireland):
    eq = by_target(search(ireland, "IE-NFQ:8", "ISCED", max_depth=4))["ISCED:6"]
    assert walked(eq) == [("m9", "forward", BROAD)]


def test_all_paths_lists_alternatives_in_rank_order(ireland):
    result = search(ireland, "IE-NFQ:8", "NL-NLQF", paths="all")
    nl6 = [eq for eq in result.equivalences if eq.target == "NL-NLQF:6"]
    assert [[s.edge.id for s in eq.path] for eq in nl6] == [["m1", "m3"], ["m9", "m6"]]
    assert [eq.match_type for eq in nl6] == [BROAD, RELATED]


def test_proposed_mappings_are_ignored_unless_asked(ireland):
    assert "NL-NLQF:7" not in by_target(search(ireland, "IE-NFQ:8", "NL-NLQF"))
    with_proposed = by_target(search(ireland, "IE-NFQ:8", "NL-NLQF", include_proposed=True))
    assert with_proposed["NL-NLQF:7"].match_type is EXACT
    assert walked(with_proposed["NL-NLQF:7"]) == [("p1", "forward", EXACT)]


@pytest.mark.parametrize("include_proposed", [False, True])
def test_rejected_and_superseded_mappings_never_count(ireland, include_proposed):
    result = search(ireland, "IE-NFQ:8", max_depth=MAX_DEPTH, paths="all",
                    include_proposed=include_proposed)
    used = {s.edge.id for eq in result.equivalences for s in eq.path}
    assert used.isdisjoint({"r1", "s1"})
    eqf7 = [eq for eq in result.equivalences if eq.target == "EQF:7"]
    # reachable only through the proposed IE 8 -> NL 7, never through the rejected mapping
    assert [walked(eq) for eq in eqf7] == (
        [[("p1", "forward", EXACT), ("m5", "forward", EXACT)]] if include_proposed else []
    )


def test_strength_outranks_confidence_which_outranks_hops():
    edges = [
        edge("A:1", "P:1", EXACT, 0.5, id="e1"),
        edge("P:1", "B:1", EXACT, 0.5, id="e2"),  # exact, 0.25, 2 hops
        edge("A:1", "Q:1", BROAD, 1.0, id="e3"),
        edge("Q:1", "B:1", CLOSE, 1.0, id="e4"),  # broad, 1.0, 2 hops
        edge("A:1", "R:1", EXACT, 0.5, id="e5"),
        edge("R:1", "S:1", EXACT, 1.0, id="e6"),
        edge("S:1", "B:1", EXACT, 0.5, id="e7"),  # exact, 0.25, 3 hops
        edge("A:1", "T:1", EXACT, 0.5, id="e0"),
        edge("T:1", "B:1", EXACT, 0.5, id="e9"),  # exact, 0.25, 2 hops, ids sort first
    ]
    result = search(edges, "A:1", "B", paths="all")
    assert [[s.edge.id for s in eq.path] for eq in result.equivalences] == [
        ["e0", "e9"], ["e1", "e2"], ["e5", "e6", "e7"], ["e3", "e4"],
    ]
    assert search(edges, "A:1", "B").equivalences[0].path[0].edge.id == "e0"


def test_depth_bounds_the_number_of_hops():
    chain = [edge(f"F{i}:1", f"F{i + 1}:1", EXACT) for i in range(7)]
    reached = [eq.target for eq in search(chain, "F0:1", max_depth=3).equivalences]
    assert reached == ["F1:1", "F2:1", "F3:1"]
    assert search(chain, "F0:1", "F6", max_depth=5).no_equivalence.kind == "out_of_depth"
    assert search(chain, "F0:1", "F5", max_depth=5).equivalences[0].hops == 5


def test_a_path_never_reenters_a_pivot_framework():
    edges = [
        edge("IE-NFQ:8", "EQF:6", BROAD),
        edge("NL-NLQF:6", "EQF:6", EXACT),
        edge("NL-NLQF:6", "EQF:5", EXACT),
    ]
    result = search(edges, "IE-NFQ:8", max_depth=MAX_DEPTH, paths="all")
    assert sorted(eq.target for eq in result.equivalences) == ["EQF:6", "NL-NLQF:6"]


def test_the_same_result_whatever_the_order_of_the_edges(ireland):
    shuffled = ireland[:]
    random.Random(4).shuffle(shuffled)
    for kwargs in ({}, {"paths": "all", "include_proposed": True, "max_depth": 5}):
        assert search(shuffled, "IE-NFQ:8", **kwargs) == search(ireland, "IE-NFQ:8", **kwargs)


# --------------------------------------------------------------------------- no answer


def test_unknown_start_level_reports_no_mappings(ireland):
    result = search(ireland, "XX-NQF:1", "EQF")
    assert result.equivalences == []
    assert result.no_equivalence.kind == "no_mappings"
    assert result.no_equivalence.detail == "the level XX-NQF:1 has no accepted mappings"


def test_a_level_with_only_proposed_mappings_says_so(ireland):
    why = search(ireland, "NZ-NZQCF:8", "AU-AQF").no_equivalence
    assert why.kind == "no_mappings"
    assert "no accepted mappings" in why.detail and "1 proposed mapping" in why.detail
    found = search(ireland, "NZ-NZQCF:8", "AU-AQF", include_proposed=True)
    assert [eq.target for eq in found.equivalences] == ["AU-AQF:8"]


def test_asking_for_the_own_framework_is_no_equivalence(ireland):
    assert search(ireland, "IE-NFQ:8", "IE-NFQ").no_equivalence.kind == "same_framework"


def test_a_framework_without_mappings_is_named(ireland):
    why = search(ireland, "IE-NFQ:8", "HK-QF").no_equivalence
    assert (why.kind, why.detail) == ("framework_unmapped", "framework HK-QF has no accepted "
                                      "mappings")


def test_a_disconnected_framework_is_unreachable(ireland):
    why = search(ireland, "IE-NFQ:8", "AU-AQF").no_equivalence
    assert why.kind == "unreachable"


def test_a_framework_beyond_the_depth_says_which_depth(ireland):
    why = search(ireland, "IE-NFQ:7", "ISCED", max_depth=2).no_equivalence
    assert (why.kind, why.detail) == ("out_of_depth", "no path within depth 2 reaches framework "
                                      "ISCED")
    assert search(ireland, "IE-NFQ:7", "ISCED", max_depth=3).found


@pytest.mark.parametrize("depth", [0, MAX_DEPTH + 1])
def test_depth_outside_the_bound_is_refused(ireland, depth):
    with pytest.raises(ValueError):
        search(ireland, "IE-NFQ:8", max_depth=depth)


def test_bad_edges_are_refused():
    with pytest.raises(ValueError):
        edge("A:1", "B:1", "sameAs")
    with pytest.raises(ValueError):
        edge("A:1", "B:1", EXACT, review_status="maybe")
    with pytest.raises(ValueError):
        MappingIndex.from_edges([edge("A:1", "B:1", EXACT, id="x"), edge("A:1", "C:1", EXACT,
                                                                         id="x")])


# --------------------------------------------------------------------------- properties

FRAMEWORKS = ["A", "B", "C", "D", "E", "F"]
LEVELS = [f"{f}:{n}" for f in FRAMEWORKS for n in (1, 2)]


@st.composite
def graphs(draw):
    """Dense little graphs: few levels, many parallel routes, confidences that tie often."""
    n = draw(st.integers(min_value=0, max_value=40))
    edges = []
    for i in range(n):
        source = draw(st.sampled_from(LEVELS))
        target = draw(st.sampled_from(LEVELS))
        edges.append(edge(
            source, target,
            draw(st.sampled_from(list(MatchType))),
            draw(st.sampled_from([0.0, 0.5, 0.5, 1.0, 1.0, 0.9])),
            draw(st.sampled_from(["accepted", "accepted", "accepted", "proposed", "rejected",
                                  "superseded"])),
            id=f"g{draw(st.integers(min_value=0, max_value=99)):02d}-{i:02d}",
        ))
    return edges


search_args = st.fixed_dictionaries({
    "start": st.sampled_from(LEVELS),
    "target": st.sampled_from([None, *FRAMEWORKS]),
    "max_depth": st.integers(min_value=1, max_value=MAX_DEPTH),
    "include_proposed": st.booleans(),
})

fast = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(graphs(), search_args)
def test_every_found_path_is_valid(edges, args):
    start, target = args.pop("start"), args.pop("target")
    result = search(edges, start, target, paths="all", **args)
    counted = {"accepted", "proposed"} if args["include_proposed"] else {"accepted"}
    for eq in result.equivalences:
        levels = [start] + [s.to_level for s in eq.path]
        assert len(set(levels)) == len(levels), "a level visited twice"
        assert 1 <= eq.hops == len(eq.path) <= args["max_depth"]
        assert levels[-1] == eq.target
        assert all(s.from_level == lv for s, lv in zip(eq.path, levels, strict=False))
        assert all(s.edge.review_status in counted for s in eq.path)
        assert all(framework_of(lv) != framework_of(start) for lv in levels[1:])
        assert target is None or framework_of(eq.target) == target
        assert eq.match_type is compose_all(s.walked_type for s in eq.path)
        confidences = [path_confidence(s.edge.confidence for s in eq.path[:i])
                       for i in range(eq.hops + 1)]
        assert all(b <= a for a, b in zip(confidences, confidences[1:], strict=False))
        assert eq.confidence == pytest.approx(confidences[-1])


@fast
@given(graphs(), search_args)
def test_best_is_the_first_of_all_paths_for_each_target(edges, args):
    start, target = args.pop("start"), args.pop("target")
    best = search(edges, start, target, **args)
    every = search(edges, start, target, paths="all", **args)
    firsts = {}
    for eq in every.equivalences:
        firsts.setdefault(eq.target, eq)
    assert [eq.target for eq in best.equivalences] == list(firsts)
    for eq in best.equivalences:
        assert eq == firsts[eq.target]
        alternatives = [a for a in every.equivalences if a.target == eq.target]
        assert [a.rank_key for a in alternatives] == sorted(a.rank_key for a in alternatives)
    assert (best.no_equivalence is None) == bool(best.equivalences)


@fast
@given(graphs(), search_args)
def test_a_target_framework_filters_the_open_search(edges, args):
    start, target = args.pop("start"), args.pop("target")
    if target is None or target == framework_of(start):
        return
    for mode in ("best", "all"):
        aimed = search(edges, start, target, paths=mode, **args).equivalences
        open_ = search(edges, start, None, paths=mode, **args).equivalences
        assert aimed == [eq for eq in open_ if framework_of(eq.target) == target]


def _random_graph(rng):
    levels = [f"{f}:{n}" for f in FRAMEWORKS for n in (1, 2)]
    return [
        edge(rng.choice(levels), rng.choice(levels), rng.choice(list(MatchType)),
             rng.choice([0.5, 1.0, 0.9]), rng.choice(["accepted"] * 4 + ["proposed"]),
             id=f"g{rng.randint(0, 99):02d}-{i:02d}")
        for i in range(rng.randint(20, 40))
    ]


@pytest.mark.parametrize("seed", range(4))
def test_best_paths_agree_with_the_exhaustive_enumeration(seed):
    """Differential test of the best-first search and its dominance pruning: on dense random
    graphs (parallel routes, tied confidences, deep searches) the best path per target is
    the first of all paths, whatever the pruning skipped."""
    rng = random.Random(seed)
    for _ in range(600):
        index = MappingIndex.from_edges(_random_graph(rng))
        start = rng.choice(LEVELS)
        target = rng.choice([None, *FRAMEWORKS])
        kwargs = {"max_depth": rng.randint(3, 5), "include_proposed": rng.random() < 0.3}
        best = find_equivalences(index, start, target, **kwargs).equivalences
        firsts = {}
        for eq in find_equivalences(index, start, target, paths="all", **kwargs).equivalences:
            firsts.setdefault(eq.target, eq)
        assert best == list(firsts.values()), (start, target, kwargs)


def test_search_stays_small_on_hundreds_of_frameworks():
    edges = []
    for f in range(300):
        for n in range(1, 9):
            edges.append(edge(f"N{f:03d}:{n}", f"EQF:{n}", BROAD if n % 2 else EXACT, 0.9))
            edges.append(edge(f"N{f:03d}:{n}", f"ISCED:{min(n, 8)}", BROAD, 0.7))
    index = MappingIndex.from_edges(edges)
    result = find_equivalences(index, "N000:6", max_depth=MAX_DEPTH)
    assert len(result.equivalences) == 2 + 299
    aimed = find_equivalences(index, "N000:6", "N299", max_depth=MAX_DEPTH)
    assert [(eq.target, eq.match_type, eq.hops) for eq in aimed.equivalences] == [
        ("N299:6", EXACT, 2),
    ]
    with pytest.raises(SearchTooBroad) as broad:
        find_equivalences(index, "N000:6", max_depth=4, paths="all", max_paths=5_000)
    # the API words it from the catalogue: in French, with the start and the budget
    assert (broad.value.start, broad.value.budget) == ("N000:6", 5_000)
    french = Words("fr")(broad.value.MESSAGE, start="N000:6", budget=5_000)
    assert french.startswith("la recherche depuis N000:6 a parcouru plus de 5000 chemins")
    assert str(broad.value).startswith("the search from N000:6 explored more than 5000 paths")


# --------------------------------------------------------------------------- quality


def levels_of(edges, *extra):
    codes = sorted({c for e in edges for c in (e.source, e.target)} | set(extra))
    return [LevelRef(c, framework_of(c), int(c.rsplit(":", 1)[1])) for c in codes]


def quality(edges, *extra, **kwargs):
    return check_mapping_quality(edges, levels_of(edges, *extra), **kwargs)


def test_a_clean_referencing_has_no_defects():
    edges = [
        edge("IE-NFQ:7", "EQF:6", BROAD),
        edge("IE-NFQ:8", "EQF:6", BROAD),
        edge("NL-NLQF:6", "EQF:6", CLOSE),
        edge("NL-NLQF:7", "EQF:7", EXACT),
        edge("EQF:7", "ISCED:7", RELATED),
        edge("DE-DQR:6", "EQF:6", EXACT),
    ]
    report = quality(edges)
    assert report.defect_count == 0


def test_levels_without_counted_mappings_are_unmapped():
    edges = [
        edge("IE-NFQ:8", "EQF:6", BROAD),
        edge("IE-NFQ:9", "EQF:7", EXACT, review_status="rejected"),
        edge("IE-NFQ:10", "EQF:8", EXACT, review_status="proposed"),
    ]
    report = quality(edges, "EQF:1")
    assert [u.code for u in report.unmapped] == ["EQF:1", "EQF:7", "EQF:8", "IE-NFQ:9",
                                                 "IE-NFQ:10"]
    with_proposed = quality(edges, "EQF:1", include_proposed=True)
    assert [u.code for u in with_proposed.unmapped] == ["EQF:1", "EQF:7", "IE-NFQ:9"]


def test_exact_to_two_levels_of_one_framework_is_contradictory():
    edges = [edge("X-NQF:5", "EQF:5", EXACT, id="a"), edge("EQF:6", "X-NQF:5", EXACT, id="b")]
    (c,) = quality(edges).contradictory_exact
    assert (c.level, c.first, c.second, c.reason, c.edges) == (
        "X-NQF:5", "EQF:5", "EQF:6", "same_framework", ("a", "b"),
    )


def test_exact_to_two_levels_that_map_otherwise_is_contradictory():
    edges = [
        edge("Y-NQF:4", "EQF:4", EXACT, id="a"),
        edge("Y-NQF:4", "ISCED:3", EXACT, id="b"),
        edge("EQF:4", "ISCED:3", BROAD, id="c"),
    ]
    (c,) = quality(edges).contradictory_exact
    assert (c.level, c.first, c.second, c.reason, c.edges) == (
        "Y-NQF:4", "EQF:4", "ISCED:3", "conflicting_mapping", ("a", "b", "c"),
    )


def test_a_cycle_making_a_level_equal_to_a_higher_one_of_its_framework_is_high():
    edges = [edge("IE-NFQ:7", "EQF:6", EXACT, 0.9, id="a"),
             edge("IE-NFQ:8", "EQF:6", CLOSE, 0.8, id="b")]
    (cycle,) = quality(edges).cycles
    assert (cycle.framework, cycle.level, cycle.other) == ("IE-NFQ", "IE-NFQ:7", "IE-NFQ:8")
    assert (cycle.match_type, cycle.ordinal_gap, cycle.severity) == (CLOSE, 1, "high")
    assert cycle.confidence == pytest.approx(0.72)
    assert walked(cycle) == [("a", "forward", EXACT), ("b", "backward", CLOSE)]


def test_a_long_cycle_through_two_pivots_is_found():
    edges = [
        edge("IE-NFQ:9", "EQF:7", EXACT, id="a"),
        edge("EQF:7", "NL-NLQF:7", EXACT, id="b"),
        edge("NL-NLQF:7", "ISCED:7", CLOSE, id="c"),
        edge("IE-NFQ:10", "ISCED:7", EXACT, id="d"),
    ]
    (cycle,) = quality(edges).cycles
    assert (cycle.level, cycle.other, cycle.match_type) == ("IE-NFQ:9", "IE-NFQ:10", CLOSE)
    assert [s.edge.id for s in cycle.path] == ["a", "b", "c", "d"]
    assert quality(edges, cycle_depth=3).cycles == []


def test_a_containment_between_levels_of_one_framework_is_a_medium_cycle():
    # EQF 6 is narrower than IE 7 and broader than IE 8: IE 8 would sit inside IE 7.
    edges = [edge("IE-NFQ:7", "EQF:6", NARROW, id="a"), edge("IE-NFQ:8", "EQF:6", BROAD, id="b")]
    (cycle,) = quality(edges).cycles
    assert (cycle.level, cycle.other, cycle.match_type, cycle.severity) == (
        "IE-NFQ:7", "IE-NFQ:8", NARROW, "medium",
    )


def test_a_direct_mapping_inside_one_framework_is_a_cycle():
    (cycle,) = quality([edge("EQF:6", "EQF:5", EXACT, id="a")]).cycles
    assert (cycle.level, cycle.other, cycle.ordinal_gap, cycle.severity) == (
        "EQF:5", "EQF:6", 1, "high",
    )
    assert walked(cycle) == [("a", "backward", EXACT)]


def test_siblings_and_related_links_are_not_cycles():
    edges = [
        edge("IE-NFQ:7", "EQF:6", BROAD),
        edge("IE-NFQ:8", "EQF:6", BROAD),
        edge("IE-NFQ:9", "EQF:7", RELATED),
        edge("IE-NFQ:10", "EQF:7", EXACT),
    ]
    assert quality(edges).cycles == []


def test_cycles_through_proposed_mappings_only_when_asked():
    edges = [edge("IE-NFQ:7", "EQF:6", EXACT),
             edge("IE-NFQ:8", "EQF:6", EXACT, review_status="proposed")]
    assert quality(edges).cycles == []
    assert len(quality(edges, include_proposed=True).cycles) == 1


def test_a_level_inside_two_levels_of_one_framework_fans_out():
    edges = [
        edge("Z-NQF:5", "EQF:5", BROAD, id="a"),
        edge("EQF:6", "Z-NQF:5", NARROW, id="b"),  # read from Z 5: broadMatch EQF 6
        edge("Z-NQF:6", "EQF:6", NARROW, id="c"),  # Z 6 spans EQF 6 and 7: legitimate
        edge("Z-NQF:6", "EQF:7", NARROW, id="d"),
    ]
    report = quality(edges)
    (fan,) = report.fan_out
    assert (fan.level, fan.framework, fan.targets, fan.edges) == (
        "Z-NQF:5", "EQF", ("EQF:5", "EQF:6"), ("a", "b"),
    )


def test_quality_accepts_a_prebuilt_index(ireland):
    index = MappingIndex.from_edges(ireland)
    assert check_mapping_quality(index, levels_of(ireland)) == quality(ireland)


def test_cycle_candidates_never_hide_a_cycle(monkeypatch):
    """The component pre-filter of the cycle check is only a shortcut: checking every level
    finds the same cycles on dense random graphs."""
    from app.domain.equivalence import quality as quality_module

    rng = random.Random(7)
    graphs_ = [_random_graph(rng) for _ in range(150)]
    filtered = [quality(edges).cycles for edges in graphs_]
    monkeypatch.setattr(quality_module, "_cycle_candidates",
                        lambda index, inc: sorted(index.mapped_levels(inc)))
    assert [quality(edges).cycles for edges in graphs_] == filtered
    assert sum(map(len, filtered)) > 0


def _same_index(a: MappingIndex, b: MappingIndex, levels: list[str]) -> None:
    assert a.edges == b.edges and list(a.edges) == list(b.edges)
    for proposed in (False, True):
        assert a.mapped_levels(proposed) == b.mapped_levels(proposed)
        for level in levels:
            assert a.arcs(level, proposed) == b.arcs(level, proposed)
            assert a.status_counts(level) == b.status_counts(level)
            assert a.levels_of(framework_of(level), proposed) == \
                b.levels_of(framework_of(level), proposed)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_a_patched_index_is_the_index_of_the_patched_edges(rng: random.Random) -> None:
    """Adding, changing (a review) and removing mappings patches only the levels at their
    ends; the result is the index built from the resulting edges, and the old one is left
    as it was (issue 26: a mapping write updates the loaded graph)."""
    levels = [f"{fw}:{n}" for fw in ("AA", "BB", "CC", "EQF") for n in range(1, 5)]
    statuses = ("accepted", "proposed", "rejected")
    types = (EXACT, CLOSE, BROAD, NARROW, RELATED)

    def random_edge(edge_id: str) -> MappingEdge:
        a, b = rng.sample(levels, 2)
        return edge(a, b, rng.choice(types), round(rng.uniform(0.3, 1.0), 2),
                    rng.choice(statuses), id=edge_id)

    edges = {f"e{i:03d}": random_edge(f"e{i:03d}") for i in range(rng.randint(0, 30))}
    index = MappingIndex.from_edges(edges.values())
    before = MappingIndex.from_edges(edges.values())
    for _ in range(3):
        removed = rng.sample(sorted(edges), min(len(edges), rng.randint(0, 3)))
        changed = [random_edge(rng.choice(sorted(edges)) if edges and rng.random() < 0.5
                               else f"n{rng.randint(0, 99):03d}")
                   for _ in range(rng.randint(0, 3))]
        patched = index.patched(changed, removed)
        for edge_id in removed:
            edges.pop(edge_id, None)
        edges.update((e.id, e) for e in changed)
        _same_index(patched, MappingIndex.from_edges(edges.values()), levels)
        _same_index(index, before, levels)  # the old index is untouched
        index, before = patched, MappingIndex.from_edges(edges.values())
