package io.seqserve.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable examples of a Markdown file: its {@code ```bash runnable} blocks, each a list of shell
 * commands (lines joined over quotes, {@code \}, {@code |} and {@code $(...)}) and, for a command that calls
 * {@code curl}, the answer the comment lines right after it show:
 * <ul>
 *   <li>{@code # 201 {"id": "ds_...", ...}}: the status, then the body's {@link Shapes shape};
 *   <li>{@code # {"predictions": [2.5, 3.0, 4.5]}}: a 2xx status and the shape;
 *   <li>{@code # 204}: the status alone;
 *   <li>{@code # data: {...}} / {@code # event: status} lines: a Server-Sent Events stream with these lines in
 *       this order (others may come between them).
 * </ul>
 * A comment that starts otherwise is prose. A curl command with no answer shown must answer 2xx.
 */
final class DocExamples {

    static final String FENCE = "```bash runnable";
    private static final Pattern STATUS = Pattern.compile("^(\\d{3})(?:\\s+(.*))?$", Pattern.DOTALL);

    /** One block: where it starts in the file, its text, and its commands. */
    record Block(int line, String text, List<Command> commands) {
        int curls() {
            return commands.stream().mapToInt(Command::curls).sum();
        }
    }

    /** A command, the curl calls in it, and the answer shown for its last curl (null: none shown). */
    record Command(int line, String text, int curls, Answer answer) {}

    /**
     * An expected answer: a status (null: any 2xx), a JSON shape (null: not checked), or the lines of an event
     * stream (empty: not a stream).
     */
    record Answer(Integer status, String shape, List<String> events) {}

    private DocExamples() {}

    static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].strip().equals(FENCE)) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < lines.length && !lines[end].strip().equals("```")) {
                end++;
            }
            List<String> body = List.of(lines).subList(start, end);
            blocks.add(new Block(start + 1, String.join("\n", body) + "\n", commands(body, start + 1)));
            i = end;
        }
        return blocks;
    }

    static List<Command> commands(List<String> lines, int firstLine) {
        List<Command> commands = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.strip().startsWith("#")) {
                i++;
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder();
            Scan scan = new Scan();
            while (i < lines.size()) {
                text.append(lines.get(i)).append('\n');
                scan.line(lines.get(i));
                i++;
                if (!scan.continues()) {
                    break;
                }
            }
            List<String> comments = new ArrayList<>();
            while (i < lines.size() && lines.get(i).strip().startsWith("#")) {
                comments.add(lines.get(i).strip().replaceFirst("^#\\s?", ""));
                i++;
            }
            Answer answer = answer(comments);
            if (answer == null) {
                i -= comments.size(); // prose about the next command
            }
            commands.add(new Command(firstLine + start, text.toString(), scan.curls, answer));
        }
        return commands;
    }

    /** The answer the comment lines show, or null when they are prose. */
    static Answer answer(List<String> comments) {
        if (comments.isEmpty()) {
            return null;
        }
        String first = comments.get(0).strip();
        Matcher status = STATUS.matcher(first);
        Integer code = null;
        String rest = first;
        if (status.matches()) {
            code = Integer.valueOf(status.group(1));
            rest = status.group(2) == null ? "" : status.group(2).strip();
        } else if (!(first.startsWith("{") || first.startsWith("[") || isEvent(first))) {
            return null;
        }
        List<String> more = comments.subList(1, comments.size());
        if (isEvent(rest)
                || rest.isEmpty() && !more.isEmpty() && isEvent(more.get(0).strip())) {
            List<String> events = new ArrayList<>();
            if (!rest.isEmpty()) {
                events.add(rest);
            }
            more.forEach(l -> events.add(l.strip()));
            return new Answer(code, null, events);
        }
        if (rest.startsWith("{") || rest.startsWith("[")) {
            // a shape may go on over the next comment lines; what follows it is prose
            StringBuilder shape = new StringBuilder(rest);
            for (int j = 0; j < more.size() && Shapes.parse(shape.toString()) == null; j++) {
                shape.append(' ').append(more.get(j).strip());
            }
            return new Answer(code, shape.toString(), List.of());
        }
        return new Answer(code, null, List.of());
    }

    private static boolean isEvent(String line) {
        return line.startsWith("data:") || line.startsWith("event:");
    }

    /** Shell quoting over lines: whether the command goes on, and the curl calls outside quotes. */
    private static final class Scan {
        private char quote;
        private int parens;
        private boolean more;
        private int curls;

        void line(String line) {
            more = false;
            for (int j = 0; j < line.length(); j++) {
                char c = line.charAt(j);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else if (c == '\\' && quote == '"') {
                        j++;
                    }
                    continue;
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '#' && (j == 0 || Character.isWhitespace(line.charAt(j - 1)))) {
                    return; // a trailing comment
                } else if (c == '(') {
                    parens++;
                } else if (c == ')') {
                    parens--;
                } else if (line.startsWith("curl ", j) && (j == 0 || " \t(|;&".indexOf(line.charAt(j - 1)) >= 0)) {
                    curls++;
                }
            }
            String trimmed = line.strip();
            more = trimmed.endsWith("\\") || trimmed.endsWith("|") || trimmed.endsWith("&&");
        }

        boolean continues() {
            return quote != 0 || parens > 0 || more;
        }
    }
}
