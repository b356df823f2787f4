package io.zonesync.http.api;

import io.zonesync.net.ConnectionStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /N/workers} and {@code /N/workers/{id}} (API version 9): each worker, an event loop of
 * {@code worker_processes}, with its connections and http requests as {@link ConnectionStats}
 * counts them where the loop serves them, shaped as NGINX Plus's NginxWorker: {@code id} (0 for the
 * first loop), {@code pid} (the node's process: its loops are threads of one process),
 * {@code connections} {@code accepted}, {@code dropped}, {@code active}, {@code idle} and
 * {@code http.requests} {@code total}, {@code current}. The list is an array in worker order, as
 * NGINX Plus answers; {@code ?fields=} keeps those fields of each worker. DELETE of all workers or
 * of one zeroes their accepted, dropped and request totals. An id that names no worker is 404
 * {@code WorkerNotFound}.
 */
final class WorkersApi {
    private WorkersApi() {
    }

    /** {@code path} is {@code [workers, (id)]}. */
    static ApiResponse handle(ApiRequest request, List<String> path, Map<String, String> query,
            ConnectionStats stats, long pid) throws ApiError {
        if (path.size() > 2) {
            throw ApiError.pathNotFound();
        }
        List<ConnectionStats.Snapshot> workers = stats.workers();
        int id = path.size() == 2 ? id(path.get(1), workers.size()) : -1;
        switch (request.method()) {
            case "GET", "HEAD" -> {
                String fields = query.get("fields");
                if (id >= 0) {
                    return ApiHandler.okJson(worker(id, pid, workers.get(id), fields));
                }
                List<Object> all = new ArrayList<>();
                for (int i = 0; i < workers.size(); i++) {
                    all.add(worker(i, pid, workers.get(i), fields));
                }
                return ApiHandler.okJson(all);
            }
            case "DELETE" -> {
                if (id >= 0) {
                    stats.resetWorker(id);
                } else {
                    for (int i = 0; i < workers.size(); i++) {
                        stats.resetWorker(i);
                    }
                }
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    /** A worker's id: a decimal number below {@code count}. */
    private static int id(String text, int count) throws ApiError {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(text) >= count) {
            throw new ApiError(404, "WorkerNotFound", "worker not found");
        }
        return Integer.parseInt(text);
    }

    private static Map<String, Object> worker(int id, long pid, ConnectionStats.Snapshot s, String fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("pid", pid);
        body.put("connections", CountersApi.connections(s));
        body.put("http", Map.of("requests", CountersApi.requests(s)));
        return ApiHandler.keepFields(body, fields);
    }
}
