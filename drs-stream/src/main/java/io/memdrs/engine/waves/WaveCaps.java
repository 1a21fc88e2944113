package io.memdrs.engine.waves;

/**
 * The concurrency caps of one wave.
 *
 * @param migrations migrations running at once, cluster-wide
 * @param outflowPerHost VMs one host sends at once
 * @param inflowPerHost VMs one host receives at once
 */
public record WaveCaps(int migrations, int outflowPerHost, int inflowPerHost) {
}
