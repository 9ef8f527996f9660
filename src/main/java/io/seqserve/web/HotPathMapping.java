package io.seqserve.web;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.Set;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Finds the handler of a POST among the few mappings of {@link HotPath} controllers before Spring MVC's own
 * mapping looks. A path with a variable ({@code /v1/models/{name}:predict}) has no direct lookup there, so each
 * such request was matched against every mapping of the application, pattern by pattern: 18 % of the HTTP
 * threads' CPU on {@code :predict} at 32 clients (bench/README.md), where {@code GET /v2/health/live}, a plain
 * path, pays nothing. Same mappings, same matching and request attributes (this is Spring's own class, fed only
 * those methods); a request they do not fully match (a wrong content type, say) goes on to Spring's mapping,
 * which answers it as before.
 */
@Component
class HotPathMapping implements HandlerMapping, Ordered, SmartInitializingSingleton {

    private final ApplicationContext context;
    private final PostMappings mappings = new PostMappings();

    HotPathMapping(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void afterSingletonsInstantiated() {
        mappings.setApplicationContext(context);
        mappings.afterPropertiesSet();
    }

    @Override
    public HandlerExecutionChain getHandler(HttpServletRequest request) throws Exception {
        return "POST".equals(request.getMethod()) ? mappings.getHandler(request) : null;
    }

    @Override
    public boolean usesPathPatterns() {
        return true;
    }

    /** Before Spring MVC's mappings (order 0) and its router functions (-1). */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** Spring's request mapping over the POST methods of {@link HotPath} controllers; no match is not an error here. */
    private static final class PostMappings extends RequestMappingHandlerMapping {

        @Override
        protected boolean isHandler(Class<?> beanType) {
            return AnnotatedElementUtils.hasAnnotation(beanType, HotPath.class);
        }

        @Override
        protected RequestMappingInfo getMappingForMethod(Method method, Class<?> handlerType) {
            RequestMappingInfo info = super.getMappingForMethod(method, handlerType);
            return info != null && info.getMethodsCondition().getMethods().equals(Set.of(RequestMethod.POST))
                    ? info
                    : null;
        }

        @Override
        protected HandlerMethod handleNoMatch(
                Set<RequestMappingInfo> infos, String lookupPath, HttpServletRequest request) {
            return null;
        }
    }
}
