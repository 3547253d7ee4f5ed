package org.nostrp2p.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;

/**
 * A NIP-01 filter as one SQL statement: every condition present must hold, the newest first
 * ({@code created_at} descending, then id ascending), at most {@code limit}. Tag conditions
 * use the {@code tags} table, which indexes every tag whose name is one character.
 *
 * <p>Values are compared as {@link Filter#matches} does: ids and authors are 64 lowercase hex
 * characters (anything else matches nothing), an empty list matches nothing.
 */
final class FilterQuery {

    /** The most values (ids, authors, kinds, tag values) one filter may carry; SQLite binds at most 32766. */
    static final int MAX_FILTER_VALUES = 10_000;

    static final String COLUMNS = "e.id, e.pubkey, e.created_at, e.kind, e.tags, e.content, e.sig";

    private static final HexFormat HEX = HexFormat.of();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FilterQuery.class);

    private final String sql;
    private final List<Object> parameters;

    private FilterQuery(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    String sql() {
        return sql;
    }

    /**
     * @return the query, or empty when the filter can match nothing
     * @throws IllegalArgumentException when the filter carries more than {@link #MAX_FILTER_VALUES} values
     */
    static Optional<FilterQuery> of(Filter filter) {
        int values = size(filter.ids()) + size(filter.authors()) + size(filter.kinds())
                + filter.tags().values().stream().mapToInt(List::size).sum();
        if (values > MAX_FILTER_VALUES) {
            throw new IllegalArgumentException("a filter may carry at most " + MAX_FILTER_VALUES
                    + " values, this one has " + values);
        }
        if (filter.limit() != null && filter.limit() == 0) {
            return Optional.empty();
        }
        var where = new StringBuilder();
        var parameters = new ArrayList<>();
        if (filter.ids() != null && !in(where, parameters, "e.id", hexKeys(filter.ids()))) {
            return Optional.empty();
        }
        if (filter.authors() != null && !in(where, parameters, "e.pubkey", hexKeys(filter.authors()))) {
            return Optional.empty();
        }
        if (filter.kinds() != null && !in(where, parameters, "e.kind", new ArrayList<>(filter.kinds()))) {
            return Optional.empty();
        }
        if (filter.since() != null) {
            and(where).append("e.created_at >= ?");
            parameters.add(filter.since());
        }
        if (filter.until() != null) {
            and(where).append("e.created_at <= ?");
            parameters.add(filter.until());
        }
        // The commonest tag query, one tag with one value ("#p": [me], "#e": [id]), walks the
        // tags key (name, value, created_at) newest first and stops at the limit; no event can
        // match twice, as the key is unique per event. Other tag conditions are subqueries.
        Map.Entry<Character, List<String>> driving = null;
        if (filter.tags().size() == 1) {
            var only = filter.tags().entrySet().iterator().next();
            if (only.getValue().size() == 1) {
                driving = only;
            }
        }
        List<Object> tagParameters = new ArrayList<>();
        for (Map.Entry<Character, List<String>> tag : driving != null ? List.<Map.Entry<Character, List<String>>>of()
                : filter.tags().entrySet()) {
            if (tag.getValue().isEmpty()) {
                return Optional.empty();
            }
            and(where).append("e.seq IN (SELECT t.event_seq FROM tags t WHERE t.name = ? AND t.value IN (")
                    .append(placeholders(tag.getValue().size())).append("))");
            parameters.add(String.valueOf(tag.getKey()));
            tag.getValue().forEach(value -> parameters.add(TagValues.column(value)));
        }
        var sql = new StringBuilder("SELECT ").append(COLUMNS);
        String orderBy;
        if (driving != null) {
            sql.append(" FROM tags d JOIN events e ON e.seq = d.event_seq WHERE d.name = ? AND d.value = ?");
            tagParameters.add(String.valueOf(driving.getKey()));
            tagParameters.add(TagValues.column(driving.getValue().get(0)));
            if (where.length() > 0) {
                sql.append(" AND ").append(where);
            }
            orderBy = " ORDER BY d.created_at DESC, e.id ASC";
        } else {
            sql.append(" FROM events e");
            if (where.length() > 0) {
                sql.append(" WHERE ").append(where);
            }
            orderBy = " ORDER BY e.created_at DESC, e.id ASC";
        }
        parameters.addAll(0, tagParameters);
        sql.append(orderBy);
        if (filter.limit() != null) {
            sql.append(" LIMIT ?");
            parameters.add(filter.limit());
        }
        return Optional.of(new FilterQuery(sql.toString(), parameters));
    }

    List<Event> run(StatementCache statements, String label) throws SQLException {
        PreparedStatement statement = statements.prepare(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        try (ResultSet rows = statement.executeQuery()) {
            List<Event> events = new ArrayList<>();
            while (rows.next()) {
                try {
                    events.add(readEvent(rows, label));
                } catch (StoreException e) {
                    // One unreadable row must not fail every answer that would hold it.
                    LOG.warn("Left an event out of an answer: {}", e.getMessage());
                }
            }
            return events;
        }
    }

    /** Reads the {@link #COLUMNS} of the current row. */
    static Event readEvent(ResultSet rows, String label) throws SQLException {
        byte[] id = rows.getBytes(1);
        try {
            return new Event(id, rows.getBytes(2), rows.getLong(3), rows.getInt(4),
                    TagCodec.decode(rows.getBytes(5)), rows.getString(6), rows.getBytes(7));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreException(label + " is corrupt: the stored event "
                    + (id == null ? "without id" : HEX.formatHex(id)) + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean in(StringBuilder where, List<Object> parameters, String column, List<?> values) {
        if (values.isEmpty()) {
            return false;
        }
        and(where).append(column).append(" IN (").append(placeholders(values.size())).append(')');
        parameters.addAll(values);
        return true;
    }

    private static List<byte[]> hexKeys(List<String> hex) {
        List<byte[]> keys = new ArrayList<>(hex.size());
        for (String value : hex) {
            if (isLowercaseHex64(value)) {
                keys.add(HEX.parseHex(value));
            }
        }
        return keys;
    }

    static boolean isLowercaseHex64(String value) {
        if (value == null || value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static StringBuilder and(StringBuilder where) {
        return where.length() == 0 ? where : where.append(" AND ");
    }

    private static String placeholders(int n) {
        return "?" + ", ?".repeat(n - 1);
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }
}
