package io.zonesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.NodeProcess;
import io.zonesync.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * doc/kubernetes.md as a user would apply it: its manifests hang together (the headless Service
 * the StatefulSet names, publishing addresses before readiness, the ports and the name the
 * configuration uses), its configuration passes {@code zonesync -t}, and three nodes running that
 * configuration form a cluster through a DNS server answering for the Service's name with their
 * addresses, as the cluster DNS does for the pods of a headless Service. Only what differs
 * between pods and this machine is replaced: the resolver's address, the addresses the nodes
 * listen on (pods have one address each; here they are 127.0.0.2-4) and the sync port.
 */
class KubernetesDocIT {
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private String config;
    private List<Map<String, Object>> manifests;
    private final List<InJvmNode> nodes = new ArrayList<>();

    @BeforeEach
    @SuppressWarnings("unchecked")
    void read() throws Exception {
        String doc = Files.readString(BASEDIR.resolve("doc/kubernetes.md"));
        Matcher yaml = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(yaml.find()).as("doc/kubernetes.md has a yaml block").isTrue();
        manifests = new ArrayList<>();
        new Yaml().loadAll(yaml.group(1)).forEach(o -> manifests.add((Map<String, Object>) o));
        config = (String) ((Map<String, Object>) manifest("ConfigMap").get("data")).get("zonesync.conf");
        assertThat(config).as("the ConfigMap's zonesync.conf").isNotBlank();
    }

    @AfterEach
    void stop() {
        nodes.forEach(InJvmNode::close);
    }

    private Map<String, Object> manifest(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("doc/kubernetes.md has no " + kind));
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object node, String... path) {
        Object o = node;
        for (String p : path) {
            o = o instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) o).get(p);
        }
        return o;
    }

    @Test
    void theManifestsAgreeWithEachOtherAndWithTheConfiguration() {
        Map<String, Object> service = manifest("Service");
        Map<String, Object> set = manifest("StatefulSet");
        assertThat(at(service, "spec", "clusterIP")).isEqualTo("None");
        assertThat(at(service, "spec", "publishNotReadyAddresses")).isEqualTo(true);
        assertThat(at(set, "spec", "serviceName")).isEqualTo(at(service, "metadata", "name"));
        assertThat(at(service, "spec", "selector")).isEqualTo(at(set, "spec", "template", "metadata", "labels"));
        String name = at(service, "metadata", "name") + "." + at(service, "metadata", "namespace") + ".svc.cluster.local";
        assertThat(config).contains("zone_sync_server " + name + ":12345 resolve;", "listen 12345;", "listen 8080;");
        assertThat(at(service, "spec", "ports").toString()).contains("port=12345", "port=8080");
        Object container = at(set, "spec", "template", "spec", "containers", "0");
        assertThat(at(container, "ports").toString()).contains("containerPort=12345", "containerPort=8080");
        assertThat(at(container, "lifecycle", "preStop", "exec", "command").toString()).contains("kill -QUIT 1");
        assertThat(at(set, "spec", "template", "spec", "securityContext", "runAsUser")).isEqualTo(10001);
        assertThat(at(container, "volumeMounts").toString()).contains("mountPath=/etc/zonesync", "mountPath=/var/lib/zonesync");
        assertThat(at(manifest("ConfigMap"), "metadata", "name"))
                .isEqualTo(at(set, "spec", "template", "spec", "volumes", "0", "configMap", "name"));
    }

    @Test
    void theConfigurationPassesTheLaunchersCheck() throws Exception {
        Path file = dir.resolve("zonesync.conf");
        Files.writeString(file, config);
        // as in a pod, the cluster DNS service's name resolves (the check resolves the resolver's name, as nginx's does)
        Path hosts = Files.writeString(dir.resolve("hosts"), "10.96.0.10 kube-dns.kube-system.svc.cluster.local\n");
        ProcessBuilder check = new ProcessBuilder(NodeProcess.LAUNCHER.toString(), "-t", "-p", dir.toString(), "-c",
                file.toString()).redirectErrorStream(true);
        check.environment().put("JAVA_OPTS", "-Djdk.net.hosts.file=" + hosts);
        Process p = check.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("test is successful");
    }

    @Test
    void threeNodesOnTheConfigurationFindEachOtherThroughTheServicesName() throws Exception {
        try (HeldPort held = new HeldPort(); TestDnsServer dns = TestDnsServer.start()) {
            dns.records("zonesync.default.svc.cluster.local", 5, "127.0.0.2", "127.0.0.3", "127.0.0.4");
            for (int i = 2; i <= 4; i++) {
                nodes.add(InJvmNode.start(dir.resolve("pod" + i), pod(i, held.port(), dns.address())));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().allMatch(n -> online(n) == 2));
            http(nodes.get(0)).post("/api/9/http/keyvals/one", "{\"from-pod-2\":\"1\"}");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> http(nodes.get(2)).get("/api/9/http/keyvals/one").body().contains("from-pod-2"));
        }
    }

    /** The doc's configuration as pod {@code i} would run it, here on 127.0.0.i. */
    private String pod(int i, int syncPort, InetSocketAddress dns) {
        String resolver = "resolver kube-dns.kube-system.svc.cluster.local ";
        String listenSync = "listen 12345;";
        String server = ".svc.cluster.local:12345 resolve;";
        String listenHttp = "listen 8080;";
        String accessLog = "access_log /dev/stdout;";
        assertThat(config).contains(resolver, listenSync, server, listenHttp, accessLog);
        return config.replace(resolver, "resolver " + dns.getAddress().getHostAddress() + ":" + dns.getPort() + " ")
                .replace(listenSync, "listen 127.0.0." + i + ":" + syncPort + ";")
                .replace(server, ".svc.cluster.local:" + syncPort + " resolve;")
                .replace(listenHttp, "listen 127.0.0." + i + ":0;")
                .replace(accessLog, "access_log off;");
    }

    private static Http http(InJvmNode n) {
        InetSocketAddress a = (InetSocketAddress) n.node.httpAddresses().values().iterator().next();
        return new Http(a.getAddress().getHostAddress(), a.getPort());
    }

    private static int online(InJvmNode n) {
        try {
            return JSON.readTree(http(n).get("/api/9/stream/zone_sync").body()).path("status").path("nodes_online").asInt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
