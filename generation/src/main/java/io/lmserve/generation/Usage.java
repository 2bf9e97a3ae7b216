package io.lmserve.generation;

import java.time.Duration;

/**
 * What a generation cost.
 *
 * @param promptTokens prompt tokens the model saw (after any left truncation)
 * @param completionTokens tokens generated, an EOS token included
 * @param timeToFirstToken from submission (queueing included) to the first token; null if none
 * @param total from submission to the end
 * @param tokensPerSecond decoding speed after the first token: (completionTokens - 1) over the time
 *     since the first token; 0 with fewer than two tokens
 */
public record Usage(
    int promptTokens,
    int completionTokens,
    Duration timeToFirstToken,
    Duration total,
    double tokensPerSecond) {}
