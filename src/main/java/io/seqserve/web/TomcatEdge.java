package io.seqserve.web;

import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Host;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * What seqserve needs from Tomcat below Spring: {@link ConnectionPeerValve} first in the engine pipeline,
 * ahead of the {@code RemoteIpValve} Spring Boot adds behind proxies or on Kubernetes, so the write guard
 * sees the connection's own peer; and {@link ProblemReportValve} as the host's only error report valve,
 * so the errors Tomcat answers itself are problem+json. Runs after Boot's own customizers, whose valves it
 * reorders or replaces.
 */
@Component
class TomcatEdge implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        List<Valve> engine = new ArrayList<>();
        engine.add(new ConnectionPeerValve());
        engine.addAll(factory.getEngineValves());
        factory.setEngineValves(engine);
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            Pipeline pipeline = host.getPipeline();
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ErrorReportValve) {
                    pipeline.removeValve(valve);
                }
            }
            pipeline.addValve(new ProblemReportValve());
            if (host instanceof StandardHost standard) {
                // the host adds an instance of this class at start unless one is there already
                standard.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
