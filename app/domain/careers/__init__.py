"""Career paths, career plans, succession and the CQF table: pure domain logic.

The two artefacts the WCO set out to build are computed here from plain data the services
load from the graph (no web framework, no database):

* ``ladder`` -- a job family's profiles ordered by CQF level, split into streams, with the
  delta on each step up (newly required competencies, rising proficiencies, added tasks and
  the courses that close it at least cost, reusing portability's training set cover);
* ``plan`` -- the cheapest sequence of moves from a holder to a target profile (A* over the
  holder's growing competency profile with an admissible bound, deterministic tie-breaks);
* ``succession`` -- the profiles whose holders are closest to filling one (portability in
  reverse);
* ``table`` -- the per-level aggregates of the CQF table (median proficiency per competency
  group with the counts behind it, most frequent tasks and competencies).

Stream rule (documented in the README): a profile is on the **management** stream when it
requires at least one competency of the management group (``MGT``); otherwise it is on the
**specialist** stream.
"""

from __future__ import annotations

from app.domain.careers.ladder import (
    FamilyProfile,
    Ladder,
    LadderShape,
    Rung,
    StepDelta,
    StepShape,
    Trainer,
    build_ladder,
    ladder_shape,
    stream_of,
    trained,
)
from app.domain.careers.plan import (
    CareerPlan,
    NoPlan,
    PlanStep,
    PlanTarget,
    plan_career,
    training_cost,
)
from app.domain.careers.succession import HolderIndex, Successor, rank_successors
from app.domain.careers.table import (
    GroupProficiency,
    LevelAggregate,
    Requirement,
    aggregate_level,
    median_proficiency,
)

__all__ = [
    "FamilyProfile",
    "Ladder",
    "LadderShape",
    "Rung",
    "StepDelta",
    "StepShape",
    "Trainer",
    "build_ladder",
    "ladder_shape",
    "stream_of",
    "trained",
    "CareerPlan",
    "NoPlan",
    "PlanStep",
    "PlanTarget",
    "plan_career",
    "training_cost",
    "HolderIndex",
    "Successor",
    "rank_successors",
    "GroupProficiency",
    "LevelAggregate",
    "Requirement",
    "aggregate_level",
    "median_proficiency",
]
