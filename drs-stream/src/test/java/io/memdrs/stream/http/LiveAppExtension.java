package io.memdrs.stream.http;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every test that asks for a {@link LiveApp} the same one, started on first use and closed when the whole run
 * ends (the root context's store), so the API tests and the browser test share one broker and one app.
 */
final class LiveAppExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LiveApp.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(LiveAppExtension.class))
                .getOrComputeIfAbsent(LiveApp.class, key -> {
                    try {
                        return LiveApp.start();
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot start the live app: " + e.getMessage(), e);
                    }
                }, LiveApp.class);
    }
}
