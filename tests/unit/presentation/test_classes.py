"""Choropleth classes and colours, the one rule for the report's maps and the dashboard's."""

import numpy as np
import pytest

from vru.presentation.classes import classify, quantile_breaks, sequential_colours


def test_quantile_breaks_are_numpys_linear_quantiles_without_repeats():
    values = [3.4, 5.0, 7.7, 13.4, 13.4, 17.7, 20.0, 26.4, 39.2, 213.5, 8.1, 9.9]
    expected = np.unique(np.quantile(values, np.linspace(0, 1, 6)))  # independent: numpy itself
    assert quantile_breaks(values) == pytest.approx(list(expected))
    assert quantile_breaks([3, 3, 3]) == [3.0]  # repeated values give fewer classes
    assert quantile_breaks([None, float("nan")]) == []


def test_each_value_falls_in_one_class_and_the_top_edge_is_included():
    edges = [0.0, 10.0, 20.0, 30.0]
    assert [classify(value, edges) for value in (0, 9.9, 10, 25, 30)] == [0, 0, 1, 2, 2]
    assert classify(3, [3.0]) == 0


@pytest.mark.parametrize("n", range(1, 11))
def test_colours_run_light_to_dark(n):
    def lightness(colour: str) -> float:
        red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    values = [lightness(colour) for colour in sequential_colours(n)]
    assert len(values) == n and values == sorted(values, reverse=True)


def test_quantile_classes_cover_every_value():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    edges = quantile_breaks(values, 5)
    assert edges[0] == 1 and edges[-1] == 10 and len(edges) == 6
    classes = [classify(value, edges) for value in values]
    assert classes[0] == 0 and classes[-1] == 4
    assert sorted(set(classes)) == [0, 1, 2, 3, 4]
