#!/usr/bin/perl
# Writes a tiny GeoIP2-City-shaped database for Speck's tests, using documentation address ranges only.
# Usage: perl write-test-city.pl out.mmdb [city|country]
#   city    (default) GeoIP2-City: 203.0.113.0/24 Munich, 198.51.100.0/24 France (country only), 2001:db8::/32 Tokyo
#   country GeoIP2-Country: 203.0.113.0/24 Austria, so a test can swap databases and see the answer change
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($out, $variant) = @ARGV;
die "usage: $0 out.mmdb [city|country]\n" unless $out;
$variant ||= 'city';

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
