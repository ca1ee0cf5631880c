package dev.kapi.support;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records the SQL statements a request runs on its own thread, for requests that carry
 * {@link #HEADER}: the real data source is wrapped (a subclass proxy, so it still is the
 * pool it was), and while such a request is served, the connections its thread takes note
 * the text of every statement they prepare or execute. Work the request leaves to other
 * threads (after-commit listeners, workers) is not its work and is not recorded. Other
 * requests and threads get the pool's connections untouched.
 */
@TestConfiguration(proxyBeanMethods = false)
public class StatementRecorder {

    /**
     * A request with this header (any unique value) has its statements recorded under
     * that value.
     */
    public static final String HEADER = "X-Test-Record-Statements";

    private static final ThreadLocal<List<String>> RECORDING = new ThreadLocal<>();

    private static final Map<String, CompletableFuture<List<String>>> RECORDED = new ConcurrentHashMap<>();

    /**
     * The statements of the request recorded under {@code key}, once it has been served
     * (at most 10 s).
     */
    public static List<String> statementsOf(String key) {
        try {
            return RECORDED.computeIfAbsent(key, absent -> new CompletableFuture<>())
                .get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (Exception ex) {
            throw new AssertionError("No recorded request " + key, ex);
        }
    }

    @Bean
    static BeanPostProcessor recordingDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!(bean instanceof DataSource)) {
                    return bean;
                }
                ProxyFactory proxy = new ProxyFactory(bean);
                proxy.setProxyTargetClass(true);
                proxy.addAdvice((MethodInterceptor) invocation -> {
                    Object result = invocation.proceed();
                    List<String> statements = RECORDING.get();
                    return statements != null && result instanceof Connection connection
                            ? recording(connection, statements) : result;
                });
                return proxy.getProxy();
            }
        };
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> statementRecordingFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                            FilterChain chain) throws ServletException, IOException {
                        String key = request.getHeader(HEADER);
                        if (key == null) {
                            chain.doFilter(request, response);
                            return;
                        }
                        List<String> statements = Collections.synchronizedList(new ArrayList<>());
                        RECORDING.set(statements);
                        try {
                            chain.doFilter(request, response);
                        }
                        finally {
                            RECORDING.remove();
                            RECORDED.computeIfAbsent(key, absent -> new CompletableFuture<>())
                                .complete(List.copyOf(statements));
                        }
                    }
                });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The connection, noting the SQL of every statement prepared or executed on it. */
    private static Connection recording(Connection connection, List<String> statements) {
        return (Connection) Proxy.newProxyInstance(StatementRecorder.class.getClassLoader(),
                new Class<?>[] { Connection.class }, (self, method, args) -> {
                    noteSql(method, args, statements);
                    Object result = invoke(connection, method, args);
                    return result instanceof Statement statement && !method.getName().startsWith("prepare")
                            ? recording(statement, statements) : result;
                });
    }

    /** A plain statement, whose SQL comes with each execution. */
    private static Statement recording(Statement statement, List<String> statements) {
        return (Statement) Proxy.newProxyInstance(StatementRecorder.class.getClassLoader(),
                new Class<?>[] { Statement.class }, (self, method, args) -> {
                    if (method.getName().startsWith("execute") || method.getName().equals("addBatch")) {
                        noteSql(method, args, statements);
                    }
                    return invoke(statement, method, args);
                });
    }

    private static void noteSql(Method method, Object[] args, List<String> statements) {
        if (args != null && args.length > 0 && args[0] instanceof String sql && (method.getName().startsWith("prepare")
                || method.getName().startsWith("execute") || method.getName().equals("addBatch"))) {
            statements.add(sql.strip().replaceAll("\\s+", " "));
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

}
