package io.memdrs.engine.waves;

/**
 * One move of a plan, as the wave scheduler sees it: hosts by index, demand in KiB, and the rules its VM is bound by.
 *
 * @param unit moves with the same unit (adjacent in the plan) go together, in one wave; otherwise unique
 * @param source host the VM leaves
 * @param target host the VM goes to
 * @param demandKiB demand that moves with it
 * @param ruleKeys the rules that name the VM: moves that share one keep their order in the plan
 * @param spreadKeys the must anti-affinity rules among them: two moves of the same one share a wave only when they
 *        touch no common host (while a VM migrates it runs on both hosts)
 */
public record WaveMove(int unit, int source, int target, long demandKiB, int[] ruleKeys, int[] spreadKeys) {
}
