package dev.speck.customers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerImportTest {

    @Test
    void knownColumnsAreReadAndOthersBecomeAttributes() {
        CustomerImport.Parsed p = CustomerImport.parse("\uFEFFExternal_Id,email,name,aliases,plan,empty\n"
                + "u1,A@B.example,\"Doe, Jane\",t1;t2,gold,\n", 10);

        assertThat(p.ok()).isTrue();
        CustomerDraft d = p.drafts().get(0);
        assertThat(d.externalId()).isEqualTo("u1");
        assertThat(d.email()).isEqualTo("a@b.example");
        assertThat(d.name()).isEqualTo("Doe, Jane");
        assertThat(d.aliases()).containsExactly("t1", "t2");
        assertThat(d.attributes()).containsExactly(java.util.Map.entry("plan", "gold"));
    }

    @Test
    void moreRowsThanAllowedIsRefusedAtTheFirstRowTooMany() {
        CustomerImport.Parsed p = CustomerImport.parse("email\na@x.example\nb@x.example\nc@x.example\n", 2);

        assertThat(p.ok()).isFalse();
        assertThat(p.drafts()).isEmpty();
        assertThat(p.errors().get(0).line()).isEqualTo(4);
        assertThat(p.errors().get(0).error()).contains("more than 2 rows");
    }

    @Test
    void aHeaderOnlyFileImportsNothingAndSaysSo() {
        CustomerImport.Parsed p = CustomerImport.parse("external_id,email\n", 10);

        assertThat(p.ok()).isFalse();
        assertThat(p.errors().get(0).error()).contains("no rows");
    }
}
