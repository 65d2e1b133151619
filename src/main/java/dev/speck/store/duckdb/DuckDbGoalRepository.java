package dev.speck.store.duckdb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speck.goals.Goal;
import dev.speck.goals.GoalDraft;
import dev.speck.goals.GoalJson;
import dev.speck.goals.GoalRepository;
import dev.speck.store.StoreException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Goals and their version history in the embedded store; the definition is the API's JSON. */
public final class DuckDbGoalRepository implements GoalRepository {

    private final DuckDbDatabase database;
    private final ObjectMapper json = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    public DuckDbGoalRepository(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public List<Goal> loadGoals() {
        List<Goal> out = new ArrayList<>();
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, pixel, name, version, definition, created, updated FROM goals ORDER BY created, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ObjectNode def = (ObjectNode) json.readTree(rs.getString(5));
                def.put("name", rs.getString(3));
                GoalDraft d = GoalJson.draft(def);
                out.add(new Goal(rs.getString(1), rs.getString(2), d.name(), d.rule(), d.value(), d.currency(),
                        d.counting(), d.allowNegative(), rs.getInt(4), rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7).toInstant()));
            }
        } catch (SQLException | IOException | IllegalArgumentException e) {
            throw new StoreException("cannot load goals: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void save(Goal g) {
        try (Connection c = database.connect();
             PreparedStatement current = c.prepareStatement(
                     "INSERT OR REPLACE INTO goals (id, pixel, name, version, definition, created, updated) "
                             + "VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement history = c.prepareStatement(
                     "INSERT OR REPLACE INTO goal_versions (goal_id, version, pixel, name, definition, saved) "
                             + "VALUES (?, ?, ?, ?, ?, ?)")) {
            String definition = json.writeValueAsString(GoalJson.definition(g.rule(), g.value(), g.currency(), g.counting(),
                    g.allowNegative()));
            c.setAutoCommit(false);
            current.setString(1, g.id());
            current.setString(2, g.pixel());
            current.setString(3, g.name());
            current.setInt(4, g.version());
            current.setString(5, definition);
            current.setTimestamp(6, Timestamp.from(g.created()));
            current.setTimestamp(7, Timestamp.from(g.updated()));
            current.executeUpdate();
            history.setString(1, g.id());
            history.setInt(2, g.version());
            history.setString(3, g.pixel());
            history.setString(4, g.name());
            history.setString(5, definition);
            history.setTimestamp(6, Timestamp.from(g.updated()));
            history.executeUpdate();
            c.commit();
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot save goal " + g.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String goalId) {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("DELETE FROM goals WHERE id = ?")) {
            ps.setString(1, goalId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot delete goal " + goalId + ": " + e.getMessage(), e);
        }
    }
}
