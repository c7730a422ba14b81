"""A deterministic generator of an ESCO-sized CQF graph, written through the store port.

Same seed and scale, same graph: everything is drawn from one ``random.Random(seed)`` in a
fixed order. At scale 1.0 the graph has about 3,000 job profiles, 14,000 competencies,
120,000 ``REQUIRES`` edges, 300 national frameworks (with about 2,700 levels and 3,000
``MAPS_TO`` mappings), 300 institutions with programmes, courses and ``DEVELOPS`` edges.

Shape, chosen to look like the real thing rather than uniform noise:
- competency popularity is Zipf-Mandelbrot (weight ``1 / (rank + 10)``): a few competencies
  are required by a third of all profiles, most by a handful; each job family also has a pool
  of "core" competencies its profiles share;
- proficiencies are skewed towards ``trained`` and ``advanced``;
- most national frameworks map every level to EQF (broad or close, a few exact), some map to a
  neighbouring national framework, and a tenth of the mappings are proposed or rejected;
- administrations have grade scales mapped onto the CQF, which maps to EQF.

Every node and relationship carries the real model's properties (docs/graph-model.md) with
``status`` ``illustrative`` and ``source_document`` ``benchmark generator``. Rows are written
with the seed writer (``app.seed.loader.write_bundle``): one ``UNWIND`` statement per batch.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.domain.vocab import PROFICIENCY_CODES
from app.graph.port import GraphStore
from app.seed.catalog import NodeSet, RelSet, SeedBundle
from app.seed.loader import write_bundle

SOURCE_DOCUMENT = "benchmark generator"
PROFICIENCIES = PROFICIENCY_CODES
PROFICIENCY_WEIGHTS = (0.15, 0.40, 0.30, 0.15)
GROUPS = ("CV", "PROF", "OPS", "MGT", "ESCO")
EQF_LEVELS = 8
CQF_LEVELS = 8
GRADES = 7

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Scale:
    """Sizes of the generated graph; ``Scale.of(1.0)`` is ESCO-sized."""

    profiles: int
    competencies: int
    requirements: int
    frameworks: int
    institutions: int
    administrations: int
    families: int

    @classmethod
    def of(cls, factor: float) -> Scale:
        def n(full: int, least: int) -> int:
            return max(least, round(full * factor))

        return cls(profiles=n(3000, 10), competencies=n(14000, 60), requirements=n(120_000, 200),
                   frameworks=n(300, 4), institutions=n(300, 3), administrations=n(30, 2),
                   families=n(40, 3))


@dataclass
class Sample:
    """Codes the measurements ask about, drawn from the generated graph."""

    profiles: list[str] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)


@dataclass
class GeneratedGraph:
    bundle: SeedBundle
    sample: Sample
    seed: int
    scale: Scale

    def counts(self) -> dict[str, int]:
        return {**self.bundle.count_by_label(), **self.bundle.count_by_type()}


def _node(code: str, name: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": name, "name_fr": None, "description": description,
            "description_fr": None, **extra, "status": "illustrative",
            "source_document": SOURCE_DOCUMENT, "source_publisher": "CQF Graph project",
            "source_year": None, "source_url": None}


def _sourced(**props: Any) -> dict[str, Any]:
    return {**props, "status": "illustrative", "source_document": SOURCE_DOCUMENT,
            "source_publisher": "CQF Graph project", "source_year": None, "source_url": None}


def _rel(start: str, end: str, props: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"from": start, "to": end, "props": props or {}}


class _Builder:
    def __init__(self, seed: int, scale: Scale) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.nodes: dict[str, list[dict[str, Any]]] = {}
        self.rels: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        self.sample = Sample()
        self._mapping_ids = itertools.count(1)

    def add_node(self, label: str, row: dict[str, Any]) -> None:
        self.nodes.setdefault(label, []).append(row)

    def add_rel(self, rel_type: str, from_label: str, to_label: str, row: dict) -> None:
        self.rels.setdefault((rel_type, from_label, to_label), []).append(row)

    def proficiency(self) -> str:
        return self.rng.choices(PROFICIENCIES, PROFICIENCY_WEIGHTS)[0]

    # ------------------------------------------------------------------ vocabularies
    def vocabularies(self) -> None:
        for rank, code in enumerate(PROFICIENCIES, start=1):
            self.add_node("ProficiencyLevel", _node(code, code.title(), f"Proficiency {code}",
                                                    rank=rank, description_status="illustrative"))
        for group in GROUPS:
            self.add_node("CompetencyGroup", _node(group, f"Group {group}", "Benchmark group"))

    # ------------------------------------------------------------------ frameworks
    def framework(self, code: str, kind: str, levels: int) -> list[str]:
        self.add_node("Framework", _node(code, f"Framework {code}", "Generated level scale",
                                         kind=kind, jurisdiction=None, historical=False))
        codes = []
        for ordinal in range(1, levels + 1):
            level = f"{code}:{ordinal}"
            self.add_node("Level", _node(level, f"{code} level {ordinal}", "Generated level",
                                         framework=code, level=str(ordinal), ordinal=ordinal,
                                         knowledge=None, skills=None, autonomy=None,
                                         qualification_examples=None))
            self.add_rel("IN_FRAMEWORK", "Level", "Framework", _rel(level, code))
            codes.append(level)
        return codes

    def mapping(self, start: str, end: str, match_type: str, review: str = "accepted") -> None:
        ident = f"bench-map-{next(self._mapping_ids):06d}"
        props = _sourced(id=ident, match_type=match_type,
                         confidence=round(self.rng.uniform(0.5, 0.95), 2),
                         method=self.rng.choice(("official_referencing", "comparison_study",
                                                 "expert_panel")),
                         asserted_by="benchmark generator", review_status=review,
                         date="2024-01-01", historical=False)
        self.add_rel("MAPS_TO", "Level", "Level", _rel(start, end, props))

    def review_status(self) -> str:
        roll = self.rng.random()
        return "proposed" if roll < 0.06 else "rejected" if roll < 0.10 else "accepted"

    def frameworks(self) -> dict[str, list[str]]:
        eqf = self.framework("EQF", "meta", EQF_LEVELS)
        cqf = self.framework("CQF", "cqf", CQF_LEVELS)
        for level, target in zip(cqf, eqf, strict=True):
            self.mapping(level, target, "closeMatch")
        national: dict[str, list[str]] = {}
        for i in range(1, self.scale.frameworks + 1):
            code = f"BNQF-{i:03d}"
            levels = self.framework(code, "national", self.rng.choice((8, 9, 10, 10, 12)))
            national[code] = levels
            for level in levels:  # the referencing report: every level to an EQF level
                ordinal = int(level.rsplit(":", 1)[1])
                target = eqf[min(EQF_LEVELS, max(1, round(ordinal * EQF_LEVELS / len(levels))))
                             - 1]
                kind = self.rng.choices(("broadMatch", "closeMatch", "exactMatch"),
                                        (0.55, 0.35, 0.10))[0]
                self.mapping(level, target, kind, self.review_status())
        codes = sorted(national)
        for i, code in enumerate(codes):  # some frameworks compare themselves to a neighbour
            if self.rng.random() < 0.2 and len(codes) > 1:
                other = national[codes[(i + 1) % len(codes)]]
                for level in national[code][::2]:
                    target = other[min(len(other) - 1, national[code].index(level))]
                    self.mapping(level, target, self.rng.choice(("closeMatch", "relatedMatch")),
                                 self.review_status())
        self.sample.levels = [self.rng.choice(national[c]) for c in codes[:50]]
        self.sample.frameworks = list(codes[1:51])
        return {"EQF": eqf, "CQF": cqf, **national}

    def administrations(self, cqf: list[str]) -> list[str]:
        admins = []
        for i in range(1, self.scale.administrations + 1):
            code, scale = f"BADM-{i:02d}", f"BADM-{i:02d}-GRADES"
            grades = self.framework(scale, "grade_scale", GRADES)
            self.add_node("Administration", _node(code, f"Administration {i}",
                                                  "Generated customs administration",
                                                  country=None, scale=scale))
            self.add_rel("USES_SCALE", "Administration", "Framework", _rel(code, scale))
            for n, grade in enumerate(grades):
                self.mapping(grade, cqf[min(len(cqf) - 1, n + 1)],
                             self.rng.choice(("closeMatch", "broadMatch")))
            admins.append(code)
        return admins

    # ------------------------------------------------------------------ competencies, jobs
    def competencies(self) -> tuple[list[str], list[float]]:
        codes = []
        for i in range(1, self.scale.competencies + 1):
            code, group = f"BCMP-{i:05d}", GROUPS[i % len(GROUPS)]
            self.add_node("Competency", _node(code, f"competency {i}", "Generated competency",
                                              group=group, trade_only=None, uri=None))
            self.add_rel("IN_GROUP", "Competency", "CompetencyGroup", _rel(code, group))
            codes.append(code)
        cumulative = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(codes))))
        return codes, cumulative

    def draw(self, codes: list[str], cumulative: list[float], k: int) -> list[str]:
        chosen: dict[str, None] = {}
        total = cumulative[-1]
        while len(chosen) < min(k, len(codes)):
            at = bisect.bisect_left(cumulative, self.rng.random() * total)
            chosen[codes[min(at, len(codes) - 1)]] = None
        return list(chosen)

    def profiles(self, codes: list[str], cumulative: list[float], admins: list[str],
                 levels: dict[str, list[str]]) -> None:
        s = self.scale
        families = [f"BJF-{i:02d}" for i in range(1, s.families + 1)]
        pools = {}
        for family in families:
            self.add_node("JobFamily", _node(family, f"Job family {family}",
                                             "Generated job family", anchor=None))
            pools[family] = self.rng.sample(codes, min(len(codes), 200))
        mean = s.requirements / s.profiles
        for i in range(1, s.profiles + 1):
            code, family = f"BJP-{i:05d}", self.rng.choice(families)
            admin = self.rng.choice(admins) if self.rng.random() < 0.8 else None
            self.add_node("JobProfile", _node(code, f"Job profile {i}", "Generated job profile",
                                              domain=None, generic_role=None,
                                              administration=admin))
            self.add_rel("IN_FAMILY", "JobProfile", "JobFamily", _rel(code, family))
            if admin:
                self.add_rel("IN_ADMINISTRATION", "JobProfile", "Administration",
                             _rel(code, admin))
            scale = levels[f"{admin}-GRADES"] if admin else levels["CQF"]
            self.add_rel("AT_LEVEL", "JobProfile", "Level", _rel(code, self.rng.choice(scale)))
            k = max(3, round(self.rng.uniform(0.4, 1.6) * mean))
            core = self.rng.sample(pools[family], min(len(pools[family]), k // 3))
            wanted = dict.fromkeys(core + self.draw(codes, cumulative, k - len(core)))
            for competency in list(wanted)[:k]:
                self.add_rel("REQUIRES", "JobProfile", "Competency",
                             _rel(code, competency, _sourced(proficiency=self.proficiency())))
        self.sample.profiles = [f"BJP-{self.rng.randint(1, s.profiles):05d}" for _ in range(50)]
        self.sample.competencies = [self.rng.choice(codes) for _ in range(50)]

    # ------------------------------------------------------------------ training
    def institutions(self, codes: list[str], cumulative: list[float],
                     levels: dict[str, list[str]]) -> None:
        national = [c for c in levels if c.startswith("BNQF-")]
        for i in range(1, self.scale.institutions + 1):
            inst = f"BINST-{i:03d}"
            self.add_node("Institution", _node(inst, f"Institution {i}", "Generated institution",
                                               country=None, incu_member=self.rng.random() < 0.3))
            for p in range(1, self.rng.randint(1, 3) + 1):
                prog = f"{inst}-P{p}"
                level = self.rng.choice(levels[self.rng.choice(national)])
                self.add_node("Programme", _node(prog, f"Programme {prog}", "Generated programme",
                                                 institution=inst, level=level,
                                                 ects=float(self.rng.choice((60, 90, 120))),
                                                 language="en", url=None))
                self.add_rel("OFFERED_BY", "Programme", "Institution", _rel(prog, inst))
                self.add_rel("AT_LEVEL", "Programme", "Level", _rel(prog, level))
                self.courses(prog, inst, codes, cumulative)

    def courses(self, prog: str, inst: str, codes: list[str], cumulative: list[float]) -> None:
        for c in range(1, self.rng.randint(3, 8) + 1):
            course = f"{prog}-C{c}"
            self.add_node("Course", _node(course, f"Course {course}", "Generated course",
                                          institution=inst, programme=prog,
                                          ects=float(self.rng.choice((5, 5, 10, 15))),
                                          language="en", url=None))
            self.add_rel("PART_OF", "Course", "Programme", _rel(course, prog))
            for competency in self.draw(codes, cumulative, self.rng.randint(2, 6)):
                review = "proposed" if self.rng.random() < 0.1 else "accepted"
                self.add_rel("DEVELOPS", "Course", "Competency", _rel(course, competency, _sourced(
                    proficiency=self.proficiency(), evidence="generated learning outcome",
                    assessment="exam", review_status=review)))

    def bundle(self) -> SeedBundle:
        nodes = [NodeSet(label, rows) for label, rows in self.nodes.items()]
        rels = [RelSet(t, a, b, rows) for (t, a, b), rows in self.rels.items()]
        return SeedBundle(nodes, rels)


def generate(seed: int = 42, factor: float = 1.0) -> GeneratedGraph:
    """Build (in memory, without a store) the graph of this seed and scale factor."""
    scale = Scale.of(factor)
    b = _Builder(seed, scale)
    b.vocabularies()
    levels = b.frameworks()
    admins = b.administrations(levels["CQF"])
    levels.update({f"{a}-GRADES": [f"{a}-GRADES:{g}" for g in range(1, GRADES + 1)]
                   for a in admins})
    codes, cumulative = b.competencies()
    b.profiles(codes, cumulative, admins, levels)
    b.institutions(codes, cumulative, levels)
    return GeneratedGraph(b.bundle(), b.sample, seed, scale)


def write(store: GraphStore, graph: GeneratedGraph, progress: Progress | None = None) -> int:
    """Write the generated graph through the port, one ``UNWIND`` batch per statement."""
    return write_bundle(store, graph.bundle, progress)
