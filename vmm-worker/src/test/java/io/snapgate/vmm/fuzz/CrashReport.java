package io.snapgate.vmm.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a crashed emulator process died. From the JVM's error report ({@code hs_err_pid<pid>.log}): the signal, the
 * "Problematic frame" ({@code C  [libunicorn.so.2+0x3e1a40]  helper_wrmsr_x86_64+0x20}) and the native frames
 * under it; offsets in a library do not change from run to run, so the frame tells crashes apart. A process that
 * aborts (Unicorn's assertions and fatal errors) leaves no report, but says why in its output, last line.
 */
record CrashReport(String signal, String frame, List<String> nativeFrames, String javaFrame, String text) {
    private static final Pattern SIGNAL = Pattern.compile("^#\\s+(SIG[A-Z]+) \\(0x[0-9a-f]+\\)");
    /** Code with no library: Unicorn's translated code, or a JIT's. */
    private static final Pattern ANONYMOUS = Pattern.compile("^([A-Za-z]+)\\s+0x[0-9a-f]+.*");
    /** A Java frame's method: {@code j  io...UnicornLib.uc_emu_start(JJJJJ)I+0} gives UnicornLib.uc_emu_start. */
    private static final Pattern JAVA_METHOD = Pattern.compile("([\\w$]+\\.[\\w$<>]+)\\(");
    private static final int FRAMES_KEPT = 12;

    /**
     * What the process that died for {@code reason} left: its error report {@code report} if it wrote one, else the
     * last line of its {@code output}; empty when neither says anything.
     */
    static Optional<CrashReport> read(Path report, Path output, String reason) {
        String text = readIfThere(report);
        if (text != null) {
            return Optional.of(parse(text));
        }
        String said = reason.contains("died") ? readIfThere(output) : null; // not when killed for a hang
        if (said == null || said.isBlank()) {
            return Optional.empty();
        }
        String[] lines = said.strip().split("\n");
        Matcher signal = Pattern.compile("signal (SIG[A-Z]+)").matcher(reason);
        return Optional.of(new CrashReport(signal.find() ? signal.group(1) : "no signal",
                lines[lines.length - 1].strip(), List.of(), null, said));
    }

    private static String readIfThere(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static CrashReport parse(String text) {
        String signal = "no signal";
        String frame = null;
        String error = null;
        String javaFrame = null;
        List<String> frames = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m = SIGNAL.matcher(line);
            if (m.find()) {
                signal = m.group(1);
            } else if (line.startsWith("#  Internal Error") || line.startsWith("# There is insufficient memory")) {
                error = line.substring(1).trim();
            } else if (line.startsWith("# Problematic frame:") && i + 1 < lines.length) {
                frame = lines[i + 1].replaceFirst("^#\\s*", "").trim();
            } else if (line.startsWith("Java frames:") && javaFrame == null && i + 1 < lines.length) {
                Matcher method = JAVA_METHOD.matcher(lines[i + 1]);
                javaFrame = method.find() ? method.group(1) : null;
            } else if (line.startsWith("Native frames:")) {
                for (int j = i + 1; j < lines.length && !lines[j].isBlank() && frames.size() < FRAMES_KEPT; j++) {
                    frames.add(lines[j].trim());
                }
            }
        }
        if (frame == null) {
            frame = error != null ? error : "no problematic frame";
        }
        return new CrashReport(signal, frame.replaceAll("\\s+", " "), List.copyOf(frames), javaFrame, text);
    }

    /**
     * The crash's signature: signal and frame. A frame in code no library holds (its address differs from run to
     * run) is Unicorn's translated guest code: it is named by the Java call into Unicorn under it.
     */
    String signature() {
        Matcher anonymous = ANONYMOUS.matcher(frame);
        if (!anonymous.matches()) {
            return signal + " at " + frame;
        }
        return signal + " at " + anonymous.group(1) + " [translated guest code], under "
                + (javaFrame == null ? "no Java frame" : javaFrame);
    }
}
