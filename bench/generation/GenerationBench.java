import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokens per second of :generate against a running seqserve, for 1 and N concurrent generations of the
 * same length, with the forward passes they took (from /actuator/prometheus).
 *
 * <p>Run: {@code java bench/generation/GenerationBench.java http://127.0.0.1:19123 shakespeare-gru 200 16 3}
 * (base URL, model, tokens per generation, concurrent streams, repeats of each measurement).
 */
public class GenerationBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern TOKENS = Pattern.compile("\"completion_tokens\":(\\d+)");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String model = args[1];
        int tokens = Integer.parseInt(args[2]);
        int streams = Integer.parseInt(args[3]);
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        run(base, model, tokens, 1, 1); // warm-up
        double single = 0;
        double many = 0;
        for (int r = 0; r < repeats; r++) {
            single = Math.max(single, run(base, model, tokens, 1, r));
            many = Math.max(many, run(base, model, tokens, streams, r));
        }
        System.out.printf("%s: best of %d: 1 stream %.0f tokens/s, %d streams %.0f tokens/s aggregate, speed-up %.1fx%n",
                model, repeats, single, streams, many, many / single);
    }

    /** One round of {@code streams} concurrent generations; returns the aggregate tokens per second. */
    private static double run(String base, String model, int tokens, int streams, int round) throws Exception {
        double passesBefore = counter(base, "seqserve_generation_forward_passes_total", model);
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            String body = "{\"prompt\": \"ROMEO:\\n\", \"max_tokens\": " + tokens + ", \"temperature\": 0.8, \"seed\": "
                    + (round * 1000 + i) + "}";
            pending.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/models/" + model + ":generate"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long generated = 0;
        for (CompletableFuture<HttpResponse<String>> p : pending) {
            HttpResponse<String> response = p.get();
            Matcher m = TOKENS.matcher(response.body());
            if (response.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
            generated += Long.parseLong(m.group(1));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double passes = counter(base, "seqserve_generation_forward_passes_total", model) - passesBefore;
        System.out.printf("  %-26s %2d x %d tokens: %6.2f s, %7.1f tokens/s aggregate, %5.0f forward passes%n",
                model, streams, tokens, seconds, generated / seconds, passes);
        return generated / seconds;
    }

    private static double counter(String base, String metric, String model) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("^" + metric + "\\{[^}]*model=\"" + Pattern.quote(model) + "\"[^}]*} (\\S+)$", Pattern.MULTILINE)
                .matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
