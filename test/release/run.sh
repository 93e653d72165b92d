#!/usr/bin/env bash
# The release files: META.json against the PGXN Meta Spec 1.0.0 (the fields
# it requires and the form of every field it defines), its versions against
# the control file's default_version and debian/changelog, LICENSE, and, in a
# git checkout, the zip `make dist` builds for PGXN.  Prints TAP; exits
# non-zero when a test fails.  Needs no server.
set -uo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
control_version=$(sed -n -E "s/^default_version[[:space:]]*=[[:space:]]*'([^']*)'.*/\1/p" account_tier.control)

. test/lib/tap.sh

# Runs a check whose complaints, one a line, go to stdout: none is a pass.
check() {
  local what=$1; shift
  if "$@" >"$work/out" 2>&1 && [ ! -s "$work/out" ]; then ok "$what"; else not_ok "$what" "$work/out"; fi
}

# The spec's rules, in Perl (its JSON::PP comes with every perl): prints one
# line per breach of META.json.
meta_breaches() {
  CONTROL_VERSION=$control_version perl -MJSON::PP -e '
    use strict;
    my @bad;
    sub bad { push @bad, join("", @_) }
    my $json = do { local $/; open my $f, "<", "META.json" or die "META.json: $!\n"; <$f> };
    my $m = eval { JSON::PP->new->decode($json) };
    if (!$m) { print "META.json is not JSON: $@"; exit }
    if (ref $m ne "HASH") { print "META.json is not an object\n"; exit }

    my $semver = qr/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
    my $term = qr/^[^\/\\\s\p{Cntrl}]{2,}$/;
    my $range = qr/^(([=!]=|[<>]=?)\s*)?(\d+\.\d+\.\d+\S*|0)(,\s*(([=!]=|[<>]=?)\s*)?\d+\.\d+\.\d+\S*)*$/;
    my %licenses = map { $_ => 1 } qw(agpl_3 apache_1_1 apache_2_0 artistic_1 artistic_2 bsd
      freebsd gfdl_1_2 gfdl_1_3 gpl_1 gpl_2 gpl_3 lgpl_2_1 lgpl_3_0 mit mozilla_1_0 mozilla_1_1
      openssl perl_5 postgresql qpl_1_0 ssleay sun zlib open_source restricted unrestricted unknown);
    sub str { my ($v) = @_; defined $v && !ref $v && length $v }
    sub path_ok { my ($p) = @_; str($p) && length $p >= 2 && $p !~ m{^/} && $p !~ m{(^|/)\.\.(/|$)} && $p !~ /\\/ }

    my %known = map { $_ => 1 } qw(name version abstract maintainer license provides meta-spec
      description generated_by tags no_index prereqs release_status resources);
    for (qw(name version abstract maintainer license provides meta-spec)) {
      bad("the required field $_ is missing") unless exists $m->{$_};
    }
    for (sort keys %$m) { bad("unknown field $_") unless $known{$_} || /^[xX]_./ }

    bad("name is not a term") unless str($m->{name}) && $m->{name} =~ $term;
    bad("version $m->{version} is not a semantic version") unless str($m->{version}) && $m->{version} =~ $semver;
    bad("abstract is empty") unless str($m->{abstract});
    for (qw(description generated_by)) { bad("$_ is empty") if exists $m->{$_} && !str($m->{$_}) }
    my $mt = $m->{maintainer};
    bad("maintainer is neither a name nor a list of names")
      unless str($mt) || (ref $mt eq "ARRAY" && @$mt && !grep { !str($_) } @$mt);
    my $l = $m->{license};
    bad("license is not \"postgresql\"") unless str($l) && $l eq "postgresql";

    my $p = $m->{provides};
    if (ref $p ne "HASH" || !%$p) { bad("provides names no extension") }
    else {
      for my $ext (sort keys %$p) {
        my $e = $p->{$ext};
        bad("provides: $ext is not a term") unless $ext =~ $term;
        if (ref $e ne "HASH") { bad("provides: $ext is not an object"); next }
        for (sort keys %$e) { bad("provides: $ext has an unknown field $_") unless /^(file|version|abstract|docfile)$/ || /^[xX]_./ }
        bad("provides: $ext has no file in the distribution") unless path_ok($e->{file}) && -f $e->{file};
        bad("provides: $ext docfile is not in the distribution") if exists $e->{docfile} && !(path_ok($e->{docfile}) && -f $e->{docfile});
        bad("provides: $ext version is not a semantic version") unless str($e->{version}) && $e->{version} =~ $semver;
        bad("provides: $ext abstract is empty") if exists $e->{abstract} && !str($e->{abstract});
      }
    }

    my $ms = $m->{"meta-spec"};
    if (ref $ms ne "HASH") { bad("meta-spec is not an object") }
    else {
      bad("meta-spec version is not 1.0.x") unless str($ms->{version}) && $ms->{version} =~ /^1\.0\.\d+$/;
      bad("meta-spec url is not that of the spec") if exists $ms->{url} && $ms->{url} !~ m{^https?://pgxn\.org/meta/spec\.txt$};
      for (sort keys %$ms) { bad("meta-spec has an unknown field $_") unless /^(version|url)$/ || /^[xX]_./ }
    }

    if (exists $m->{prereqs}) {
      my $pr = $m->{prereqs};
      if (ref $pr ne "HASH" || !%$pr) { bad("prereqs is not an object of phases") }
      else {
        for my $phase (sort keys %$pr) {
          bad("prereqs: unknown phase $phase") unless $phase =~ /^(configure|build|test|runtime|develop)$/;
          my $rels = $pr->{$phase};
          if (ref $rels ne "HASH" || !%$rels) { bad("prereqs: $phase is empty"); next }
          for my $rel (sort keys %$rels) {
            bad("prereqs: $phase has an unknown relationship $rel") unless $rel =~ /^(requires|recommends|suggests|conflicts)$/;
            my $req = $rels->{$rel};
            if (ref $req ne "HASH" || !%$req) { bad("prereqs: $phase $rel is empty"); next }
            for my $what (sort keys %$req) {
              my $v = $req->{$what};
              bad("prereqs: $phase $rel $what is not a version range")
                unless $what =~ $term && defined $v && !ref $v && $v =~ $range;
            }
          }
        }
      }
    }
    if (exists $m->{tags}) {
      my $t = $m->{tags};
      my %seen;
      bad("tags is not a list of distinct tags")
        unless ref $t eq "ARRAY" && @$t && !grep { !str($_) || length $_ < 2 || length $_ > 255 || m{[/\\\p{Cntrl}]} || $seen{$_}++ } @$t;
    }
    bad("release_status is not stable, testing or unstable")
      if exists $m->{release_status} && !(str($m->{release_status}) && $m->{release_status} =~ /^(stable|testing|unstable)$/);

    # The version of the release: default_version, as a semantic version.
    my $want = $ENV{CONTROL_VERSION};
    $want .= ".0" if $want =~ /^\d+\.\d+$/;
    bad("version $m->{version} is not default_version $ENV{CONTROL_VERSION} ($want)")
      unless str($m->{version}) && $m->{version} eq $want;
    bad("provides: account_tier is missing") unless ref $p eq "HASH" && $p->{account_tier};
    bad("provides: account_tier version is not $want")
      if ref $p eq "HASH" && ref $p->{account_tier} eq "HASH" && ($p->{account_tier}{version} // "") ne $want;
    bad("name is not account_tier") unless ($m->{name} // "") eq "account_tier";
    print "$_\n" for @bad;
  '
}

# make dist needs git and a checkout
in_git() { command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; }
check "META.json holds the fields the PGXN Meta Spec 1.0.0 requires, each well formed" meta_breaches

changelog_version=$(sed -n -E '1s/^[^ ]+ \(([^)]+)\).*/\1/p' debian/changelog)
if [ "$changelog_version" = "$control_version" ]; then
  ok "debian/changelog's version is the control file's ($control_version)"
else
  echo "debian/changelog: $changelog_version, account_tier.control: $control_version" >"$work/out"
  not_ok "debian/changelog's version is the control file's ($control_version)" "$work/out"
fi

if [ "$(head -n 1 LICENSE)" = "PostgreSQL License" ] &&
   grep -q -E '^Copyright \(c\) [0-9]{4}(-[0-9]{4})?, the account_tier developers$' LICENSE &&
   grep -q 'PROVIDED HEREUNDER IS ON AN "AS IS" BASIS' LICENSE; then
  ok "LICENSE is the PostgreSQL License of the account_tier developers"
else
  not_ok "LICENSE is the PostgreSQL License of the account_tier developers" LICENSE
fi

if grep -q -E '^License: PostgreSQL$' debian/copyright; then
  ok "debian/copyright gives the same licence"
else
  not_ok "debian/copyright gives the same licence" debian/copyright
fi

# Every file the control file and the Makefile install is in the release.
missing=$(for f in account_tier.control $(sed -n -E 's/^(BASE_SCRIPT|UPGRADE_SCRIPTS) = //p' Makefile |
            sed 's/\$(EXTENSION)/account_tier/g'); do [ -f "$f" ] || echo "$f"; done)
if [ -z "$missing" ]; then
  ok "the control file and every install and upgrade script the Makefile names are there"
else
  echo "$missing" >"$work/out"; not_ok "the control file and every install and upgrade script the Makefile names are there" "$work/out"
fi

if in_git; then
  # make dist: the committed tree, every entry under account_tier-VERSION/
  version=$(perl -MJSON::PP -0777 -ne 'print decode_json($_)->{version}' META.json)
  zip=account_tier-$version.zip
  if make -s dist >"$work/dist.log" 2>&1 && [ -f "$zip" ] &&
     perl -MIO::Uncompress::Unzip=unzip,\$UnzipError -e '
       my ($zip, $prefix) = @ARGV;
       my $u = IO::Uncompress::Unzip->new($zip) or die "$zip: $UnzipError\n";
       my (%has, @outside);
       for (my $s = 1; $s > 0; $s = $u->nextStream) {
         my $name = $u->getHeaderInfo->{Name};
         $has{$name} = 1;
         push @outside, $name unless index($name, $prefix) == 0;
       }
       die "outside $prefix: @outside\n" if @outside;
       for (qw(META.json account_tier.control Makefile LICENSE README.md)) {
         die "$prefix$_ is missing\n" unless $has{"$prefix$_"};
       }' "$zip" "account_tier-$version/" >>"$work/dist.log" 2>&1; then
    ok "make dist builds $zip, everything under account_tier-$version/"
  else
    not_ok "make dist builds $zip, everything under account_tier-$version/" "$work/dist.log"
  fi
  rm -f "$zip"
else
  echo "# make dist not tested: no git checkout here"
fi

finish
