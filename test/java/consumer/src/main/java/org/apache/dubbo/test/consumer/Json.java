package org.apache.dubbo.test.consumer;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.dubbo.rpc.RpcException;
import org.apache.dubbo.rpc.service.GenericException;

/** Turns generalized Dubbo results and exceptions into the JSON the CLI prints. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {
    }

    /**
     * Dates become epoch milliseconds, BigDecimal and BigInteger strings, byte[] base64, other
     * arrays and collections JSON arrays, maps (including generalized POJOs with their "class" key)
     * objects; anything else its toString.
     */
    static JsonNode toJson(Object v) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof String) {
            return F.textNode((String) v);
        }
        if (v instanceof Boolean) {
            return F.booleanNode((Boolean) v);
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return F.numberNode(((Number) v).intValue());
        }
        if (v instanceof Long) {
            return F.numberNode((Long) v);
        }
        if (v instanceof Double) {
            return F.numberNode((Double) v);
        }
        if (v instanceof Float) {
            return F.numberNode((Float) v);
        }
        if (v instanceof BigDecimal) {
            return F.textNode(((BigDecimal) v).toString());
        }
        if (v instanceof BigInteger) {
            return F.textNode(v.toString());
        }
        if (v instanceof Number) {
            return F.textNode(v.toString());
        }
        if (v instanceof Character) {
            return F.textNode(v.toString());
        }
        if (v instanceof Date) {
            return F.numberNode(((Date) v).getTime());
        }
        if (v instanceof byte[]) {
            return F.textNode(Base64.getEncoder().encodeToString((byte[]) v));
        }
        if (v instanceof Enum) {
            return F.textNode(((Enum<?>) v).name());
        }
        if (v instanceof Map) {
            ObjectNode node = F.objectNode();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                node.set(String.valueOf(e.getKey()), toJson(e.getValue()));
            }
            return node;
        }
        if (v instanceof Collection) {
            ArrayNode node = F.arrayNode();
            for (Object item : (Collection<?>) v) {
                node.add(toJson(item));
            }
            return node;
        }
        if (v.getClass().isArray()) {
            ArrayNode node = F.arrayNode();
            int n = Array.getLength(v);
            for (int i = 0; i < n; i++) {
                node.add(toJson(Array.get(v, i)));
            }
            return node;
        }
        return F.textNode(v.toString());
    }

    static ObjectNode ok(Object result) {
        ObjectNode out = F.objectNode();
        out.put("ok", true);
        out.set("result", toJson(result));
        return out;
    }

    /**
     * {"ok":false,"error":{"class","message",...}}. For a provider-side exception delivered as a
     * GenericException, "class" and "message" are those of the original exception and "wrapper" names
     * the class actually thrown here; an RpcException adds its numeric "code".
     */
    static ObjectNode error(Throwable t) {
        ObjectNode err = F.objectNode();
        Throwable e = unwrap(t);
        GenericException generic = findGeneric(e);
        if (generic != null) {
            err.put("class", generic.getExceptionClass());
            err.put("message", generic.getExceptionMessage());
            err.put("wrapper", generic.getClass().getName());
            Object cause = generic.getCause();
            if (cause != null) {
                err.put("cause", cause.getClass().getName());
            }
        } else {
            err.put("class", e.getClass().getName());
            err.put("message", e.getMessage());
            if (e instanceof RpcException) {
                err.put("code", ((RpcException) e).getCode());
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != e) {
                err.put("cause", root.getClass().getName());
                err.put("causeMessage", root.getMessage());
            }
        }
        Object code = readCode(generic != null && generic.getCause() != null ? generic.getCause() : e);
        if (code != null) {
            err.set("code", toJson(code));
        }
        ObjectNode out = F.objectNode();
        out.put("ok", false);
        out.set("error", err);
        return out;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof java.util.concurrent.ExecutionException
                || e instanceof java.util.concurrent.CompletionException
                || e instanceof java.lang.reflect.UndeclaredThrowableException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static GenericException findGeneric(Throwable t) {
        for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof GenericException) {
                return (GenericException) e;
            }
        }
        return null;
    }

    /** A business exception's own getCode(), when its class is loadable here (e.g. BusinessException). */
    private static Object readCode(Throwable t) {
        if (t instanceof RpcException || t instanceof GenericException) {
            return null;
        }
        try {
            Method m = t.getClass().getMethod("getCode");
            return m.invoke(t);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (Exception e) {
            return "{\"ok\":false,\"error\":{\"class\":\"" + e.getClass().getName() + "\",\"message\":\"cannot write JSON\"}}";
        }
    }
}
