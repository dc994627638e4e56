package dev.gmpsim.sweep;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gmpsim.protocol.scenario.Dist;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.Step;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable run ids: the first 16 hex digits of the SHA-256 of a run's resolved scenario in
 * canonical form (the bound {@link Scenario} as JSON with sorted keys, steps and distributions
 * tagged with their kind) and its seed. The same scenario and seed give the same id in any
 * process; any change to what the run simulates gives another.
 */
public final class RunIds {
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "@kind")
  private interface Tagged {}

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .addMixIn(Step.class, Tagged.class)
          .addMixIn(Dist.class, Tagged.class)
          .build();

  private RunIds() {}

  /** The scenario as canonical JSON (what the id hashes, with the seed). */
  public static String canonical(Scenario scenario) {
    try {
      return CANONICAL.writeValueAsString(scenario);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize scenario " + scenario.name(), e);
    }
  }

  /** The run id of {@code scenario} run with {@code seed}. */
  public static String of(Scenario scenario, long seed) {
    return HexFormat.of().formatHex(sha256(canonical(scenario) + "\nseed=" + seed)).substring(0, 16);
  }

  /** A long drawn from {@code text}'s SHA-256 (sample streams of a sweep). */
  static long hashLong(String text) {
    byte[] h = sha256(text);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return v;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
