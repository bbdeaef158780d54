package dev.dbproxy.lab.result;

/**
 * One step of the load staircase.
 *
 * @param users           concurrent virtual users, each looping {@code GET /notes} then {@code GET /notes/{id}}
 * @param durationSeconds how long the step lasts
 */
public record LoadStep(int users, double durationSeconds) {
}
