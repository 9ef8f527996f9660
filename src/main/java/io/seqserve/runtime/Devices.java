package io.seqserve.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The devices models can run on: the CPU always, and the GPUs each engine reports (a CPU-only build
 * reports none). Decides where a model's workers go.
 */
@Component
public class Devices {

    private static final Logger log = LoggerFactory.getLogger(Devices.class);

    private final boolean gpusAllowed;
    private final Map<String, Integer> gpuCounts = new ConcurrentHashMap<>();

    public Devices(RuntimeProperties properties) {
        this.gpusAllowed = properties.devices().equals("auto");
    }

    /** GPUs the engine can use (0 when none or when the configuration says cpu). */
    public int gpuCount(String engine) {
        if (!gpusAllowed) {
            return 0;
        }
        return gpuCounts.computeIfAbsent(engine, name -> {
            try {
                return Engine.getEngine(name).getGpuCount();
            } catch (RuntimeException e) {
                log.warn("cannot ask {} for GPUs: {}", name, e.toString());
                return 0;
            }
        });
    }

    /**
     * Workers per device for one model: the manifest's {@code workers} map when given (devices the
     * engine lacks are refused), else one GPU when there is one, else {@code defaultWorkers} on the CPU.
     */
    public Map<Device, Integer> placement(String engine, Map<String, Integer> requested, int defaultWorkers) {
        Map<Device, Integer> placement = new LinkedHashMap<>();
        if (requested != null && !requested.isEmpty()) {
            requested.forEach((name, count) -> {
                if (count > 0) {
                    placement.put(device(engine, name), count);
                }
            });
        }
        if (placement.isEmpty()) {
            placement.put(gpuCount(engine) > 0 ? Device.gpu(0) : Device.cpu(), defaultWorkers);
        }
        return placement;
    }

    private Device device(String engine, String name) {
        if (name.equals("cpu")) {
            return Device.cpu();
        }
        int index = Integer.parseInt(name.substring(3));
        if (index >= gpuCount(engine)) {
            throw new IllegalArgumentException(
                    "workers: " + name + " requested but " + engine + " sees " + gpuCount(engine) + " GPU(s)");
        }
        return Device.gpu(index);
    }
}
