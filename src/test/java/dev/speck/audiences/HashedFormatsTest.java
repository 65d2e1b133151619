package dev.speck.audiences;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ad platforms' files. Every expected hash is SHA-256 of the normalised form the platform documents,
 * computed outside Java ({@code printf '%s' 'joe.smith@example.com' | sha256sum}) and written here as
 * text, so a mistake in normalising or hashing cannot agree with itself.
 */
class HashedFormatsTest {

    static final String JOE_SMITH_EXAMPLE_COM = "0d49dccda19cc677eb1fab32555c198b705689e5a9b459822660ec78595ba580";
    static final String DIGITS_16505551234 = "6069d14bf122fdfd931dc7beb58e5dfbba395b1faf05bdcd42d12358d63d8599";
    static final String E164_16505551234 = "a2996076d3ad4af5dc818b908b3d8e354f26ededf7df0e0aa6ac354143805ee0";
    static final String ZOEANNE = "8726316e5bfa5663a1204e159146b4e6fb7b016b61bcfac1b8db6a60bc161ab0";
    static final String OBRIEN = "b4cb6cb33fe4b865868de825023a1e2790dc12ac01ecc8d7c5afe8254071c8ba";
    static final String ZIP_94025 = "b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7";
    static final String US = "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621";
    static final String ZOE_HYPHEN_ANNE = "89ecd43cf056716f421df38efefd5c207e5e935c11975f270cf664a976218d96";
    static final String O_APOSTROPHE_BRIEN = "65b87174be3b1b122e2b0929f0b84888637d31a4a83bb96a860bcff411f5e668";
    static final String SW1A1 = "949af780a19e6f6d4b99d7044743348dbbb7ab2245fe146863573b23d02c5890";
    static final String GB = "0b407281768f0e833afef47ed464b6571d01ca4d53c12ce5c51d1462f4ad6677";
    static final String DIGITS_442079460958 = "35e206e5dec4c89b9e8b71b8c32724a5bb518483ac5a20c6617d738375b3b823";
    static final String E164_442079460958 = "f0bf0228144d9fe2bdf1da2d8ca698f17bf1410ee688b075c27062e47b6f0b6d";
    static final String ADA_EXAMPLE_ORG = "cfe00dde46ef942601ffafb9e2825e802858b460e586b8305b344c1eb826357d";
    static final String DIGITS_4930901820 = "c03f76216358b07b09a300613908002987efc1ae9a2ef2a85d57d5a971bf821a";
    static final String E164_4930901820 = "4db5829924ee5c466cbd9ac69b2a6af527f758614fa3b3aec8c89b16a709a678";
    static final String LUKASZ = "974282d5169583fd089607c615244d5495c50f3be4e9e5274ad64a27dc8ee84e";
    static final String ZOLC = "47ff00909613d05d62e7ba4ae9e6c072d7371dcc16c7eb27edb5d298d21094ec";
    static final String YAMADA = "5f34cd8399195fa23a32ace56c87f461adcbee99d90d9e60057f01684b3b46da";
    static final String HANAKO = "ebaec6bca086d4bd01fb08ddcd4dd2674313d156445f9435cba5ce02a1422a40";
    static final String ADA = "fdee430d40bd57deeac186cd9790033d0f06f909a8806e7ce6e717ab7c7d5029";
    static final String LOVELACE = "fb1e7ec987523d2cb9e022cec1d6ae7c99dc46edfae4fe51254025fe4bea571f";
    static final String DE = "959a45d44e6fcf58361ed004681556fe50129f2109e817dec098c00c9e5d2578";
    static final String SOFIA_GREEK = "420df835bbd6de1eb24332e756e85528775d8a0cdb98eb1a6e981f477312b4ea";

    /** Londoner with a UK landline in international form and a full postcode. */
    static AudienceMember londoner() {
        return AudienceMember.customer("c-2", "ada@example.org", "+44 20 7946 0958", "Ada", "Lovelace", "GB",
                "SW1A 1AA");
    }

    @Test
    void metaHasItsColumnNamesAndHashesEveryNormalisedValue() {
        var w = Exports.write(AudienceFormat.META, ExportOptions.none(), Exports.zoe());
        assertThat(w.lines()).containsExactly("email,phone,fn,ln,zip,country",
                String.join(",", JOE_SMITH_EXAMPLE_COM, DIGITS_16505551234, ZOEANNE, OBRIEN, ZIP_94025, US), "");
        assertThat(w.counts()).isEqualTo(new ExportCounts(1, 0, 0));
    }

    @Test
    void metaTakesTheUkPostcodeAsAreaDistrictSectorAndThePhoneWithoutItsPlus() {
        var w = Exports.write(AudienceFormat.META, ExportOptions.none(), londoner());
        String[] cells = w.lines().get(1).split(",", -1);
        assertThat(cells[0]).isEqualTo(ADA_EXAMPLE_ORG);
        assertThat(cells[1]).isEqualTo(DIGITS_442079460958);
        assertThat(cells[4]).isEqualTo(SW1A1);
        assertThat(cells[5]).isEqualTo(GB);
    }

    @Test
    void googleHasItsEnglishHeadersHashesContactsAndLeavesCountryAndZipPlain() {
        var w = Exports.write(AudienceFormat.GOOGLE, ExportOptions.none(), Exports.zoe(), londoner());
        assertThat(w.lines()).containsExactly("Email,Phone,First Name,Last Name,Country,Zip",
                String.join(",", JOE_SMITH_EXAMPLE_COM, E164_16505551234, ZOE_HYPHEN_ANNE, O_APOSTROPHE_BRIEN, "us",
                        "94025-1234"),
                String.join(",", ADA_EXAMPLE_ORG, E164_442079460958,
                        ADA, LOVELACE, "gb", "SW1A 1AA"),
                "");
        assertThat(w.counts()).isEqualTo(new ExportCounts(2, 0, 0));
    }

    @Test
    void linkedInKeepsItsWholeTemplateHeaderAndSendsOnlyTheHashedEmailAndCountry() {
        var w = Exports.write(AudienceFormat.LINKEDIN, ExportOptions.none(), Exports.zoe(), londoner());
        assertThat(w.lines()).containsExactly("email,firstname,lastname,jobtitle,employeecompany,country,googleaid",
                JOE_SMITH_EXAMPLE_COM + ",,,,,US,",
                ADA_EXAMPLE_ORG + ",,,,,GB,",
                "");
    }

    @Test
    void membersWithNeitherEmailNorPhoneAreSkippedAndCounted() {
        var nameOnly = AudienceMember.customer("c-3", null, null, "Nobody", "Known", "DE", "10115");
        var visitor = AudienceMember.visitor("v-1", null);
        var phoneOnly = AudienceMember.customer("c-4", null, "030 901820", null, null, "DE", null);
        for (AudienceFormat f : List.of(AudienceFormat.META, AudienceFormat.GOOGLE)) {
            var w = Exports.write(f, ExportOptions.none(), nameOnly, Exports.zoe(), visitor, phoneOnly);
            assertThat(w.counts()).as(f.wireName()).isEqualTo(new ExportCounts(2, 2, 0));
            assertThat(w.lines()).as(f.wireName()).hasSize(4);
        }
        // LinkedIn takes no phone numbers: a member with only a phone has nothing it matches on
        var linkedIn = Exports.write(AudienceFormat.LINKEDIN, ExportOptions.none(), nameOnly, Exports.zoe(), visitor,
                phoneOnly);
        assertThat(linkedIn.counts()).isEqualTo(new ExportCounts(1, 3, 0));
        // the plain formats leave nobody out
        assertThat(Exports.write(AudienceFormat.CSV, ExportOptions.none(), nameOnly, visitor).counts().written())
                .isEqualTo(2);
    }

    @Test
    void aNationalNumberIsReadWithTheMembersCountryOrElseTheDefault() {
        var berliner = AudienceMember.customer("c-5", null, "030 901820", null, null, "DE", null);
        var noCountry = AudienceMember.customer("c-6", null, "030 901820", null, null, null, null);
        var meta = Exports.write(AudienceFormat.META, ExportOptions.none(), berliner, noCountry);
        assertThat(meta.lines().get(1)).startsWith("," + DIGITS_4930901820 + ",");
        // without a country of its own or a default, 030 901820 cannot be read: left out, and so the member
        assertThat(meta.counts()).isEqualTo(new ExportCounts(1, 1, 1));

        var withDefault = Exports.write(AudienceFormat.GOOGLE, ExportOptions.defaultCountry("DE"), noCountry);
        assertThat(withDefault.lines().get(1)).isEqualTo("," + E164_4930901820 + ",,,,");
        assertThat(withDefault.counts()).isEqualTo(new ExportCounts(1, 0, 0));
    }

    @Test
    void aPhoneThatCannotBeNormalisedLeavesTheRowButNotTheMember() {
        var badPhone = AudienceMember.customer("c-7", "ada@example.org", "12345", null, null, "DE", null);
        var w = Exports.write(AudienceFormat.META, ExportOptions.defaultCountry("DE"), badPhone);
        assertThat(w.lines().get(1)).isEqualTo(ADA_EXAMPLE_ORG + ",,,,," + DE);
        assertThat(w.counts()).isEqualTo(new ExportCounts(1, 0, 1));
    }

    @Test
    void digitsThatBeginWithTheCountryCodeAreReadAsMetaWritesThem() {
        // Meta's own examples give numbers as 1-234-567-8910 and 12345678910: country code, no "+"
        var m = AudienceMember.customer("c-8", null, "1-650-555-1234", null, null, null, null);
        var w = Exports.write(AudienceFormat.META, ExportOptions.none(), m);
        assertThat(w.lines().get(1)).isEqualTo("," + DIGITS_16505551234 + ",,,,");
    }

    @Test
    void metasOwnPhoneExamplesAllHashAsTheirDigitsWithCountryCode() {
        // Meta's customer-list formatting page gives 1-234-567-8910, 12345678910 and +44 844 412 4653
        String[] inputs = {"1-234-567-8910", "12345678910", "+1 (234) 567-8910", "+44 844 412 4653"};
        String[] expected = {"63640264849a87c90356129d99ea165e37aa5fabc1fea46906df1a7ca50db492",
                "63640264849a87c90356129d99ea165e37aa5fabc1fea46906df1a7ca50db492",
                "63640264849a87c90356129d99ea165e37aa5fabc1fea46906df1a7ca50db492",
                "dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383"}; // 12345678910, 448444124653
        for (int i = 0; i < inputs.length; i++) {
            var m = AudienceMember.customer("c-" + i, null, inputs[i], null, null, null, null);
            var w = Exports.write(AudienceFormat.META, ExportOptions.none(), m);
            assertThat(w.lines().get(1)).as(inputs[i]).isEqualTo("," + expected[i] + ",,,,");
        }
    }

    @Test
    void unicodeNamesKeepTheirLettersInUtf8AndHashAlikeHoweverTheAccentIsTyped() {
        var polish = AudienceMember.customer("c-9", "a@b.example", null, "Łukasz", "Żółć", "PL", null);
        var japanese = AudienceMember.customer("c-10", "a@b.example", null, "花子", "山田", "JP", null);
        var greek = AudienceMember.customer("c-11", "a@b.example", null, "ΣΟΦΙΑ", null, "GR", null);
        var decomposed = AudienceMember.customer("c-12", "a@b.example", null, "Zoe\u0308-Anne", "O’Brien", "US", null);
        var w = Exports.write(AudienceFormat.META, ExportOptions.none(), polish, japanese, greek, decomposed);
        assertThat(w.lines().get(1).split(",", -1)).containsSubsequence(LUKASZ, ZOLC);
        assertThat(w.lines().get(2).split(",", -1)).containsSubsequence(HANAKO, YAMADA);
        assertThat(w.lines().get(3).split(",", -1)[2]).isEqualTo(SOFIA_GREEK);
        assertThat(w.lines().get(4).split(",", -1)).containsSubsequence(ZOEANNE, OBRIEN);
    }

    @Test
    void anAbsentOrUnusableValueIsAnEmptyCellNeverTheHashOfNothing() {
        var sparse = new AudienceMember("c-13", null, "ADA@EXAMPLE.ORG", null, "--", " ", "Atlantis", "=1+1", null,
                List.of());
        var meta = Exports.write(AudienceFormat.META, ExportOptions.none(), sparse);
        assertThat(meta.lines().get(1)).isEqualTo(ADA_EXAMPLE_ORG + ",,,,,");
        var google = Exports.write(AudienceFormat.GOOGLE, ExportOptions.none(), sparse);
        assertThat(google.lines().get(1)).isEqualTo(ADA_EXAMPLE_ORG + ",,,,,");
        var notAnEmail = AudienceMember.customer("c-14", "not an email", null, null, null, null, null);
        assertThat(Exports.write(AudienceFormat.LINKEDIN, ExportOptions.none(), notAnEmail).counts())
                .isEqualTo(new ExportCounts(0, 1, 0));
    }
}
