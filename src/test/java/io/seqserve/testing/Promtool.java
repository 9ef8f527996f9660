package io.seqserve.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's {@code promtool} (tests that use it carry {@code @RequiresTool(Tool.PROMTOOL)}). */
public final class Promtool {

    /** What a run printed (stdout and stderr together) and its exit code. */
    public record Result(int exit, String output) {}

    private Promtool() {}

    public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/promtool");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 2 minutes");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
