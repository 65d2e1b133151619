package dev.speck.access;

/**
 * Who a request acts for: no one, a signed-in user, or an API key. The questions the access policy
 * asks are answered here, once, for every kind of actor.
 */
public sealed interface Actor {

    Actor ANONYMOUS = new Anonymous();

    /** "anonymous", "user" or "key": how the audit log names the kind. */
    String kind();

    /** The user name or key id; "-" when anonymous. */
    String name();

    /** Reads one pixel's data and reports. */
    boolean canView(String pixel);

    /** Changes one pixel, its goals and links. */
    boolean canEdit(String pixel);

    /** Reads data that spans pixels (customers, visitors). */
    boolean canViewAccount();

    /** Creates pixels, imports customers, signs identities: writes that are not one pixel's. */
    boolean canEditAccount();

    /** Settings, users, keys, the audit log, erasure. Never an API key. */
    default boolean isAdmin() {
        return false;
    }

    record Anonymous() implements Actor {
        public String kind() {
            return "anonymous";
        }

        public String name() {
            return "-";
        }

        public boolean canView(String pixel) {
            return false;
        }

        public boolean canEdit(String pixel) {
            return false;
        }

        public boolean canViewAccount() {
            return false;
        }

        public boolean canEditAccount() {
            return false;
        }
    }

    /** A user signed in through the console (a session cookie). */
    record Member(User user, Session session) implements Actor {
        public String kind() {
            return "user";
        }

        public String name() {
            return user.name();
        }

        public Role role() {
            return user.role();
        }

        public boolean canView(String pixel) {
            return true;
        }

        public boolean canEdit(String pixel) {
            return role().atLeast(Role.EDITOR);
        }

        public boolean canViewAccount() {
            return role().atLeast(Role.EDITOR);
        }

        public boolean canEditAccount() {
            return role().atLeast(Role.EDITOR);
        }

        @Override
        public boolean isAdmin() {
            return role() == Role.ADMIN;
        }
    }

    /** A script or tool with an API key (Authorization: Bearer spk_...). */
    record KeyHolder(ApiKey key) implements Actor {
        public String kind() {
            return "key";
        }

        public String name() {
            return key.id();
        }

        public boolean canView(String pixel) {
            return key.covers(pixel);
        }

        public boolean canEdit(String pixel) {
            return key.scope() == KeyScope.WRITE && key.covers(pixel);
        }

        public boolean canViewAccount() {
            return key.allPixels();
        }

        public boolean canEditAccount() {
            return key.scope() == KeyScope.WRITE && key.allPixels();
        }
    }
}
