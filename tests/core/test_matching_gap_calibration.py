"""The supply-gap threshold is chosen on the development split by Youden's J; the test split is
read at the chosen threshold only."""

from zhizao_core.matching.evaluate import Judgments, gap_calibration

JUDGMENTS = Judgments(
    {
        # gaps: nothing graded above 1
        "g1": {"o1": 1},
        "g2": {"o1": 0},
        "t1": {"o2": 1},
        # solved
        "s1": {"o1": 3},
        "s2": {"o2": 2},
        "s3": {"o1": 3},
        "t2": {"o1": 2},
    }
)


def test_the_threshold_with_the_best_j_on_dev_and_its_test_figures():
    best = {
        "g1": (0.55, True),  # flagged from 0.6 up
        "g2": (0.30, True),  # flagged from 0.35 up
        "s1": (0.90, True),
        "s2": (0.58, True),  # a false alarm from 0.6 up
        "s3": (0.95, False),  # misses a must-have: flagged at every threshold
        "t1": (None, False),  # no offering at all: always flagged
        "t2": (0.62, True),
    }
    result = gap_calibration(best, JUDGMENTS, ["g1", "g2", "s1", "s2", "s3"], ["t1", "t2"])
    by_t = {r["threshold"]: r["dev"] for r in result["rows"]}
    assert by_t[0.30] == {
        "gaps": 2,
        "found": 0,
        "non_gaps": 3,
        "false_alarms": 1,
        "youden": -0.3333,
    }
    assert by_t[0.35]["found"] == 1 and by_t[0.35]["youden"] == 0.1667
    assert by_t[0.55] == {"gaps": 2, "found": 1, "non_gaps": 3, "false_alarms": 1, "youden": 0.1667}
    assert by_t[0.60] == {"gaps": 2, "found": 2, "non_gaps": 3, "false_alarms": 2, "youden": 0.3333}
    # 0.60 … 0.95 tie at J 1/3 until s1 (0.90) is flagged at 0.95; the lowest wins the tie
    assert by_t[0.95]["youden"] == 0.0
    assert result["threshold"] == 0.60
    assert result["test"] == {
        "gaps": 1,
        "found": 1,
        "non_gaps": 1,
        "false_alarms": 0,
        "youden": 1.0,
    }
