package dev.speck.store.duckdb;

import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRepository;
import dev.speck.pixels.TrackedLink;
import dev.speck.privacy.VisitorPrivacy;
import dev.speck.store.StoreException;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Pixels and tracked links in the embedded store. */
public final class DuckDbPixelRepository implements PixelRepository {

    private final DuckDbDatabase database;

    public DuckDbPixelRepository(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public List<Pixel> loadPixels() {
        List<Pixel> out = new ArrayList<>();
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, name, enabled, allowed_origins, goals, created, identity_mode, consent_rule, honour_dnt, "
                             + "retention_days FROM pixels ORDER BY created");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Object[] origins = (Object[]) rs.getArray(4).getArray();
                out.add(new Pixel(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        Arrays.stream(origins).map(String::valueOf).toList(), rs.getTimestamp(6).toInstant(),
                        privacy(rs)));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot load pixels: " + e.getMessage(), e);
        }
        return out;
    }

    private static VisitorPrivacy privacy(ResultSet rs) throws SQLException {
        return new VisitorPrivacy(VisitorPrivacy.IdentityMode.fromWireName(rs.getString(7)),
                VisitorPrivacy.ConsentRule.fromWireName(rs.getString(8)), rs.getBoolean(9), rs.getInt(10));
    }

    @Override
    public List<TrackedLink> loadLinks() {
        List<TrackedLink> out = new ArrayList<>();
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT code, pixel, destination, campaign, created FROM links");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TrackedLink(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot load links: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void save(Pixel pixel) {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT OR REPLACE INTO pixels (id, name, enabled, allowed_origins, goals, created, identity_mode, "
                             + "consent_rule, honour_dnt, retention_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Array origins = c.createArrayOf("VARCHAR", pixel.allowedOrigins().toArray());
            ps.setString(1, pixel.id());
            ps.setString(2, pixel.name());
            ps.setBoolean(3, pixel.enabled());
            ps.setArray(4, origins);
            ps.setString(5, "[]"); // goals moved to their own table; the column stays for old data files
            ps.setTimestamp(6, Timestamp.from(pixel.created()));
            ps.setString(7, pixel.privacy().identity().wireName());
            ps.setString(8, pixel.privacy().consent().wireName());
            ps.setBoolean(9, pixel.privacy().honourDoNotTrack());
            ps.setInt(10, pixel.privacy().retentionDays());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot save pixel " + pixel.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(TrackedLink link) {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT OR REPLACE INTO links (code, pixel, destination, campaign, created) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, link.code());
            ps.setString(2, link.pixel());
            ps.setString(3, link.destination());
            ps.setString(4, link.campaign());
            ps.setTimestamp(5, Timestamp.from(link.created()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot save link " + link.code() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Pixel pixel) {
        try (Connection c = database.connect();
             PreparedStatement links = c.prepareStatement("DELETE FROM links WHERE pixel = ?");
             PreparedStatement px = c.prepareStatement("DELETE FROM pixels WHERE id = ?")) {
            c.setAutoCommit(false);
            links.setString(1, pixel.id());
            links.executeUpdate();
            px.setString(1, pixel.id());
            px.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot delete pixel " + pixel.id() + ": " + e.getMessage(), e);
        }
    }
}
