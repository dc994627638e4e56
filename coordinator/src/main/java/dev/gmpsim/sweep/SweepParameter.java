package dev.gmpsim.sweep;

import java.util.List;

/**
 * One swept parameter, as the coordinator shows it in reports.
 *
 * @param path where it goes in the scenario ({@code runtime.gomaxprocs})
 * @param kind {@code values}, {@code range}, {@code random} or {@code latin-hypercube}
 * @param spec the definition in words ({@code range 1us..1ms, 7 steps, log})
 * @param values the values it takes, in the order of its axis's points (a sampled set lists one
 *     value per joint point, so values may repeat)
 * @param axis which axis of the cartesian product it belongs to; parameters of the same sampled
 *     set share an axis and vary together
 * @param key where it is defined in the sweep file ({@code parameters[0]})
 */
public record SweepParameter(
    String path, String kind, String spec, List<String> values, int axis, String key) {
  public SweepParameter {
    values = List.copyOf(values);
  }
}
