package dev.speck.audiences;

import java.util.List;

/** How one CSV format lays out its header and a member's row. */
interface Rows {

    List<String> header();

    /** The member's cells in header order (null cells are empty), or null to leave the member out. */
    List<String> row(AudienceMember member, Tally tally);
}
