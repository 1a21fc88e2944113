package io.memdrs.schemas.bench;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Records per second that the memdrs serde encodes and decodes ({@code VmMemorySample}, single-object encoding with
 * header check, fingerprint lookup and trailing-byte check), against Avro's plain binary encoder and decoder with no
 * header on the same records in the same run (the baseline). Median, min and max over repeated rounds.
 *
 * <p>Run: {@code deploy/bin/memdrs bench serde} (or {@code java ... SerdeBenchmark [records] [rounds]}).
 */
public final class SerdeBenchmark {
    private SerdeBenchmark() {}

    public static void main(String[] args) throws IOException {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        System.out.print(run(records, rounds));
    }

    /** Runs the benchmark and returns the table. */
    public static String run(int records, int rounds) throws IOException {
        List<VmMemorySample> samples = samples(records);
        AvroSerde<VmMemorySample> serde = AvroSerde.of(VmMemorySample.class);
        SpecificDatumWriter<VmMemorySample> writer = new SpecificDatumWriter<>(VmMemorySample.class);
        SpecificDatumReader<VmMemorySample> reader = new SpecificDatumReader<>(VmMemorySample.class);

        byte[][] ours = new byte[records][];
        byte[][] plain = new byte[records][];
        double[] encOurs = new double[rounds];
        double[] encPlain = new double[rounds];
        double[] decOurs = new double[rounds];
        double[] decPlain = new double[rounds];
        long sink = 0;
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            long t0 = System.nanoTime();
            for (int i = 0; i < records; i++) {
                ours[i] = serde.encode(samples.get(i));
            }
            long t1 = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = null;
            for (int i = 0; i < records; i++) {
                out.reset();
                encoder = EncoderFactory.get().binaryEncoder(out, encoder);
                writer.write(samples.get(i), encoder);
                encoder.flush();
                plain[i] = out.toByteArray();
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < records; i++) {
                sink += serde.decode(ours[i]).getUsageKiB();
            }
            long t3 = System.nanoTime();
            BinaryDecoder decoder = null;
            for (int i = 0; i < records; i++) {
                decoder = DecoderFactory.get().binaryDecoder(plain[i], decoder);
                sink += reader.read(null, decoder).getUsageKiB();
            }
            long t4 = System.nanoTime();
            if (r >= 0) {
                encOurs[r] = records / ((t1 - t0) / 1e9);
                encPlain[r] = records / ((t2 - t1) / 1e9);
                decOurs[r] = records / ((t3 - t2) / 1e9);
                decPlain[r] = records / ((t4 - t3) / 1e9);
            }
        }
        Stats eo = Stats.of(encOurs);
        Stats ep = Stats.of(encPlain);
        Stats dO = Stats.of(decOurs);
        Stats dp = Stats.of(decPlain);
        return String.format("Serde, VmMemorySample, %,d records x %d rounds (median, min-max); %d + 10 header bytes per record%n"
                        + "| operation | memdrs serde (single object) | plain Avro binary (baseline) | ratio |%n"
                        + "|---|---|---|---|%n"
                        + "| encode | %s | %s | %.2f |%n"
                        + "| decode | %s | %s | %.2f |%n(checksum %d)%n",
                records, rounds, plain[0].length, eo.format("rec/s"), ep.format("rec/s"), eo.median() / ep.median(),
                dO.format("rec/s"), dp.format("rec/s"), dO.median() / dp.median(), sink % 10);
    }

    static List<VmMemorySample> samples(int n) {
        List<VmMemorySample> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long usage = 1_000_000L + i % 7_000_000;
            list.add(VmMemorySample.newBuilder()
                    .setCluster("cluster-" + i % 100).setHost("host-" + i % 1000)
                    .setVmUuid(String.format("6d656d64-7273-0000-0000-%012d", i)).setVmName("vm-" + i)
                    .setSampleTimeMillis(1_764_000_000_000L + i).setDomainState(DomainState.RUNNING)
                    .setSwapInKiB(0L).setSwapOutKiB(0L).setMajorFaults(10L).setMinorFaults(5000L + i)
                    .setUnusedKiB(8_388_608L - usage).setAvailableKiB(8_388_608L).setActualKiB(8_388_608L)
                    .setRssKiB(usage + 100_000).setUsableKiB(8_388_608L - usage).setLastUpdateEpochSeconds(1_763_999_990L)
                    .setDiskCachesKiB(300_000L).setHugetlbPgalloc(0L).setHugetlbPgfail(0L)
                    .setBalloonModel("virtio").setStatsPeriodSeconds(10)
                    .setMaxMemoryKiB(8_388_608L).setCurrentMemoryKiB(8_388_608L)
                    .setUsageKiB(usage).setUsageSource(UsageSource.USABLE).setHealth(StatsHealth.OK)
                    .setHint("last_update 10 s ago (period 10 s)")
                    .build());
        }
        return list;
    }
}
