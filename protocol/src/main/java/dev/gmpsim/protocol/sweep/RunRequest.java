package dev.gmpsim.protocol.sweep;

import dev.gmpsim.protocol.GmpsimSerializable;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.Map;

/**
 * One run of a sweep: its stable id (a hash of the resolved scenario and seed), the scenario
 * with the sweep's parameters applied, the seed, the parameter values that made it (for the
 * result rows), and which attempt this is.
 */
public record RunRequest(
    String runId, Scenario scenario, long seed, Map<String, String> parameters, int attempt)
    implements GmpsimSerializable {}
