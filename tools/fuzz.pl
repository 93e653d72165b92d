#!/usr/bin/perl
# tools/fuzz.pl: random calls of every function and aggregate of
# account_tier on random data sets, checked against the exact reference of
# tools/fuzz/reference.sql (plain SQL numeric).  Run by `make fuzz' and, for a
# short fixed-seed run, by tools/run-suites.sh, inside pg_virtualenv (PG*
# variables point at the cluster).
#
# Settings (environment):
#   FUZZ_SEED     seed of the generator (default 1): the same seed makes the
#                 same cases in the same order
#   FUZZ_SECONDS  how long to generate new cases (default 180)
#   FUZZ_KNOWN    include (default): every shape of input; avoid: leave out
#                 the shapes of the defects known and being fixed (see
#                 %KNOWN below), so that a run checks what holds today
#   FUZZ_TIMEOUT  statement_timeout of one call, in seconds (default 20)
#   FUZZ_OUT      where reproductions are written (default: a new directory
#                 under $TMPDIR)
#   FUZZ_CASES    stop after this many cases, if sooner (to replay a run up to
#                 a case)
#   FUZZ_VERBOSE  1: each case's size, shapes and time on stderr, its script
#                 kept in FUZZ_OUT, and parallel plans that launched no worker
#
# Every call runs in a psql script of its case: the call's result goes to a
# temporary table, then a query prints every row where it differs from the
# reference.  A call may also end in an error, whose SQLSTATE must be one that
# SPEC.md names for that input; a lost connection is a crash.  Exits non-zero
# on any crash, wrong answer or unexpected error.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use POSIX qw(floor);
use Time::HiRes qw(time sleep);

my $seed = $ENV{FUZZ_SEED} // 1;
my $seconds = $ENV{FUZZ_SECONDS} // 180;
my $max_cases = $ENV{FUZZ_CASES};
my $known_mode = $ENV{FUZZ_KNOWN} // 'include';
my $timeout = $ENV{FUZZ_TIMEOUT} // 20;
my $db = 'account_tier_fuzz';
my $out = $ENV{FUZZ_OUT} // tempdir('account_tier-fuzz-XXXXXX', TMPDIR => 1);
die "FUZZ_KNOWN must be include or avoid\n" unless $known_mode =~ /^(include|avoid)$/;
my $avoid = $known_mode eq 'avoid';
mkdir $out;

# The defects known today and being fixed: a failure in a call whose input has
# one of these features is reported under its name; FUZZ_KNOWN=avoid makes no
# such input.
my %KNOWN = (
  'numeric-scale-limit' => 'numeric values near the limits of scale (16383 decimals) or size',
  'float8-total-overflow' => 'float8 values whose positive total exceeds the double range',
  'classify-float8-cutoffs' => 'abc_classify of float8 values against cutoffs that are not doubles',
  'lorenz-wide-magnitudes' => 'lorenz_curve over values of extreme and mixed magnitudes',
  'gini-equal-values' => 'pareto_summary over equal positive values (Gini of 0)',
  'visits-floors' => 'recommended_visits_weighted with floors min_a, min_b, min_c',
  'visits-zero-share' => 'visit plans where a tier with share 0 has accounts',
);

srand($seed);

# --- random helpers -----------------------------------------------------------

sub chance { return rand() < $_[0] }
sub ri { my ($lo, $hi) = @_; return $lo + int(rand($hi - $lo + 1)) }
sub pick { return $_[int(rand(scalar @_))] }
sub lit { my $s = shift; return 'NULL' unless defined $s; $s =~ s/'/''/g; return "'$s'" }

# A random decimal with `digits' significant digits and `scale' decimals.
sub rand_decimal
{
  my ($digits, $scale, $neg) = @_;
  my $d = join '', map { int(rand(10)) } 1 .. $digits;
  $d =~ s/^0+(?=\d)//;
  my $s;
  if ($scale <= 0) { $s = $d . ('0' x -$scale) }
  elsif (length($d) > $scale) { $s = substr($d, 0, length($d) - $scale) . '.' . substr($d, -$scale) }
  else { $s = '0.' . ('0' x ($scale - length($d))) . $d }
  return ($neg ? '-' : '') . $s;
}

# --- data sets ------------------------------------------------------------------
# A generator returns n values as text (undef = NULL) and the features of the
# set (known-defect names, and `aligned': thresholds that fall exactly on a
# cumulative sum).

my @numeric_shapes = qw(int ties decimal float_trap boundary wide huge_tiny scale_limit
                        equal pareto nonpositive single);
my @float_shapes = qw(int ties decimal float_trap boundary dyadic random_double near_max
                      big_int denormal sum_trap equal pareto nonpositive single);

sub gen_values
{
  my ($kind, $shape, $n) = @_;
  my %feat;
  my @v;
  if ($shape eq 'int') { @v = map { ri(-50, 999) } 1 .. $n }
  elsif ($shape eq 'ties') {
    my @set = map { pick(1, 2, 5, 10, 10, 50, 100, 0, -3) } 1 .. ri(1, 4);
    @v = map { pick(@set) } 1 .. $n;
  }
  elsif ($shape eq 'decimal') {
    my $scale = ri(0, 12);
    @v = map { rand_decimal(ri(1, 15), chance(0.8) ? $scale : ri(0, 20), chance(0.1)) } 1 .. $n;
  }
  elsif ($shape eq 'float_trap') {
    @v = map { pick('0.1', '0.2', '0.3', '0.7', '0.05', '0.15', '0.35', '0.01', '0.6') } 1 .. $n;
  }
  elsif ($shape eq 'boundary') {
    # parts of 10^m units that sum to it exactly; unit 1, 0.1 or 0.01
    my $m = pick(10, 20, 100, 1000);
    my $unit = pick(0, 1, 2);
    my @cuts = sort { $a <=> $b } grep { chance(0.5) } 1 .. $m - 1;
    @cuts = @cuts[0 .. ($n > 1 ? $n - 2 : 0)] if @cuts > $n - 1 && $n >= 1;
    @cuts = () if $n <= 1;
    my @parts;
    my $prev = 0;
    for my $c (@cuts, $m) { next unless defined $c; push @parts, $c - $prev; $prev = $c }
    @parts = grep { $_ > 0 } @parts;
    @v = map { $unit ? sprintf("%.${unit}f", $_ / 10 ** $unit) : "$_" } @parts;
    # thresholds on the cumulative sums of the tie groups, exactly
    my %g;
    $g{$_}++ for @parts;
    my $cum = 0;
    my @aligned;
    for my $x (sort { $b <=> $a } keys %g) {
      $cum += $x * $g{$x};
      push @aligned, ($cum == $m ? '1' : sprintf('%.10f', $cum / $m) =~ s/0+$//r) if $cum <= $m;
    }
    $feat{aligned} = \@aligned;
  }
  elsif ($shape eq 'wide') {
    # around the 128-bit limits of the fixed-point sums
    @v = map {
      pick('170141183460469231731687303715884105727', '-170141183460469231731687303715884105728',
           '99999999999999999999999999999999999999', rand_decimal(38, ri(0, 38), chance(0.2)),
           rand_decimal(ri(30, 40), ri(0, 5), 0), '85070591730234615865843651857942052864',
           '1', '0.00000000000000000000000000000000000001')
    } 1 .. $n;
  }
  elsif ($shape eq 'huge_tiny') {
    @v = map { pick('1e40', '1e-40', '2.5e30', '3e-30', '7', '1e20', '0.5', '1e-20', '-1e35') } 1 .. $n;
  }
  elsif ($shape eq 'scale_limit') {
    @v = map {
      pick('1e-16383', '3e-16383', '1e-16000', rand_decimal(ri(1, 40), 16383, 0),
           '1e20000', '1e16383', '5', rand_decimal(ri(1, 30), ri(100, 16383), 0), '2e-16382')
    } 1 .. $n;
    $feat{'numeric-scale-limit'} = 1;
  }
  elsif ($shape eq 'equal') { my $x = pick('7', '0.1', '1e-10', '123456789.123'); @v = ($x) x $n }
  elsif ($shape eq 'pareto') { @v = map { floor(1000 * (1 - rand()) ** (-1 / 1.16)) } 1 .. $n }
  elsif ($shape eq 'nonpositive') { @v = map { pick(0, 0, -1, '-0.5', '-1e10') } 1 .. $n }
  elsif ($shape eq 'single') { @v = map { pick('5', '0', '-3', '0.1', '1e30') } 1 .. $n }
  elsif ($shape eq 'dyadic') { @v = map { ri(1, 4096) / pick(1, 2, 8, 1024) * pick(1, 1, -1) } 1 .. $n }
  elsif ($shape eq 'random_double') {
    my $lo = $avoid ? -1000 : -1074;
    my $hi = $avoid ? 990 : 1023;
    my ($elo, $ehi) = chance(0.5) ? (ri($lo, $hi), 0) : ($lo, $hi);
    $ehi = $elo + ri(0, 120) if $ehi == 0;
    $ehi = $hi if $ehi > $hi;
    @v = map { sprintf('%.17g', (chance(0.1) ? -1 : 1) * (1 + rand()) * 2 ** ri($elo, $ehi)) } 1 .. $n;
    @v = map { $_ eq 'inf' ? '1e300' : $_ } @v;
  }
  elsif ($shape eq 'near_max') {
    @v = map { pick('1.7976931348623157e308', '1e308', '8.9884656743115795e307', '1', '1e300') } 1 .. $n;
  }
  elsif ($shape eq 'big_int') {
    @v = map { pick('9007199254740992', '9007199254740993', '18014398509481984', '4611686018427387904',
                    '1', '3', '9007199254740991') } 1 .. $n;
  }
  elsif ($shape eq 'denormal') {
    @v = map { pick('4.9406564584124654e-324', '1e-320', '2.2250738585072014e-308', '1e-310', '0', '-1e-320') } 1 .. $n;
  }
  elsif ($shape eq 'sum_trap') { @v = map { pick('1e16', '1', '-1e16', '1e16', '0.1', '3', '1e-16') } 1 .. $n }
  else { die "unknown shape $shape" }

  # exactly n values (a shape may make more or fewer)
  @v = $n ? @v[0 .. $n - 1] : ();
  # NULLs, zeros and negatives sprinkled in
  my $pnull = pick(0, 0, 0.1, 0.3, 1);
  my $pzero = pick(0, 0, 0.1);
  for (@v) {
    if (chance($pnull)) { $_ = undef }
    elsif (chance($pzero)) { $_ = pick('0', '-1', $kind eq 'float8' ? '-0' : '0.000') }
  }
  return (\@v, \%feat);
}

# Features of the float8 values that only the values' sum shows.
sub float_features
{
  my ($vals) = @_;
  my $sum = 0;
  $sum += $_ for grep { defined && $_ > 0 } @$vals;
  return $sum > 1.7976931348623157e308 ? ('float8-total-overflow') : ();
}

# --- one case -----------------------------------------------------------------

# A case: a data set (one column per input type), partition keys, an order key,
# and a sequence of calls.  Returns the psql script and the calls' metadata.
sub make_case
{
  my $size = pick(0, 1, 1, 2, 3, 5, 8, 13, 20, 30, 40, 60, 60, 100, 200);
  $size = ri(500, 3000) if chance(0.08);
  $size = ri(8000, 20000) if chance(0.03);
  my $nshape = pick(@numeric_shapes);
  my $fshape = pick(@float_shapes);
  $nshape = pick(grep { $_ ne 'scale_limit' } @numeric_shapes) if $avoid && $nshape eq 'scale_limit';
  $fshape = pick(grep { $_ ne 'near_max' } @float_shapes) if $avoid && $fshape eq 'near_max';
  # wide and extreme values are slow for the reference: keep those sets small
  $size = ri(1, 40) if $size > 200 && ($nshape =~ /scale_limit|huge_tiny/ || $fshape =~ /random_double|denormal/);
  $size = ri(1, 4) if $nshape eq 'single' || $fshape eq 'single';
  my ($nv, $nfeat) = gen_values('numeric', $nshape, $size);
  my ($fv, $ffeat) = gen_values('float8', $fshape, $size);
  if ($fshape eq 'float_trap' || $fshape eq 'decimal' || $fshape eq 'boundary') {
    # the float8 column holds the doubles nearest to the numeric column's
    # decimals, often enough: exact sums of those differ from the decimals'
    ($fv, $ffeat) = ([@$nv], $nfeat) if chance(0.5) && $nshape eq $fshape;
  }
  my %feat = (numeric => {%$nfeat}, float8 => {%$ffeat});
  $feat{float8}{$_} = 1 for float_features($fv);
  if ($avoid && $feat{float8}{'float8-total-overflow'}) { $_ = defined $_ ? '1' : undef for @$fv; delete $feat{float8}{'float8-total-overflow'} }
  # a poisoned value (NaN or an infinity) now and then
  my %poison = (numeric => 0, float8 => 0);
  if ($size > 0 && chance(0.04)) {
    my $i = int(rand($size));
    $nv->[$i] = pick('NaN', 'Infinity', '-Infinity');
    $poison{numeric} = 1;
  }
  if ($size > 0 && chance(0.04)) {
    my $i = int(rand($size));
    $fv->[$i] = pick('NaN', 'Infinity', '-Infinity');
    $poison{float8} = 1;
  }
  my $ng1 = pick(1, 2, 3, 7);
  my $ng2 = pick(1, 2, 5);
  my @rows;
  for my $i (0 .. $size - 1) {
    push @rows, sprintf('(%d,%s,%s,%s,%s,%s)', $i + 1,
                        chance(0.05) ? 'NULL' : ri(1, $ng1), chance(0.05) ? 'NULL' : ri(1, $ng2),
                        chance(0.1) ? 'NULL' : pick(0.5, ri(1, 50), rand()),
                        lit($nv->[$i]), lit($fv->[$i]));
  }
  # Half of the cases pad the table with rows of id <= 0 (which every query
  # leaves out) between three runs of the real rows: the table is then large
  # enough for parallel plans, and the workers' partial states all hold rows.
  my $padded = chance(0.5);
  my $data_sql = "TRUNCATE fuzz.data;\n";
  my @runs = $padded ? (splice(@rows, 0, int(@rows / 3)), undef, splice(@rows, 0, int(@rows / 2)), undef, @rows)
                     : @rows;
  my $pad = 0;
  while (@runs) {
    my @chunk;
    push @chunk, shift @runs while @runs && defined $runs[0] && @chunk < 1000;
    if (!@chunk) {
      shift @runs;
      $data_sql .= sprintf("INSERT INTO fuzz.data (id) SELECT -g FROM generate_series(%d, %d) g;\n", $pad + 1, $pad + 7000);
      $pad += 7000;
      next;
    }
    $data_sql .= "INSERT INTO fuzz.data (id, g1, g2, o1, v, f) VALUES\n" . join(",\n", @chunk) . ";\n";
  }
  $data_sql .= "ANALYZE fuzz.data;\n";

  my %case = (
    size => $size, shapes => "numeric $nshape, float8 $fshape", data_sql => $data_sql,
    vals => { numeric => $nv, float8 => $fv }, feat => \%feat, poison => \%poison,
    aligned => $nfeat->{aligned} // $ffeat->{aligned},
  );
  $case{nonnull}{$_} = scalar grep { defined } @{ $case{vals}{$_} } for qw(numeric float8);
  my @calls;
  push @calls, make_call(\%case) for 1 .. ri(4, 10);
  push @calls, make_classify_call(\%case) if chance(0.3);
  push @calls, make_visits_call(\%case) if chance(0.25);
  push @calls, make_cadence_call() if chance(0.1);
  push @calls, make_sales_call(\%case) if chance(0.1);
  $case{calls} = \@calls;
  return \%case;
}

# --- thresholds -------------------------------------------------------------------

# A threshold literal and what it does: '' when valid, else the SQLSTATE.
sub threshold
{
  my ($case, $valid) = @_;
  if ($valid) {
    my $a = $case->{aligned} && @{ $case->{aligned} } && chance(0.5) ? pick(@{ $case->{aligned} }) : undef;
    return $a // pick('0.8', '0.95', '0.2', '0.5', '1', '0.01', '0.7', '0.3333333333333333333333333333',
                      '0.6666666666666666666666666667', '0.99999999999999999999', '1e-300',
                      '0.8' . ('0' x 200) . '1', rand_decimal(ri(1, 30), 30, 0) =~ s/^0\.0*$/0.5/r);
  }
  return pick('0', '-0.1', '1.0000000001', '2', "'NaN'::numeric", "'Infinity'::numeric",
              "'-Infinity'::numeric", 'NULL::numeric');
}

sub threshold_state
{
  my ($lit) = @_;
  return '22004' if $lit =~ /NULL/;
  return '22023' if $lit =~ /NaN|Infinity/;
  return ($lit > 0 && $lit <= 1) ? '' : '22023';
}

# Compares two numeric threshold literals (both valid).
sub threshold_gt
{
  my ($x, $y) = @_;
  # a string comparison of equal-length decimals is not enough: use bc-like
  # arithmetic on the digits after normalising to the same scale
  my ($xi, $xf) = split /\./, ($x =~ /e/i ? sprintf('%.400f', $x) : $x) . '.';
  my ($yi, $yf) = split /\./, ($y =~ /e/i ? sprintf('%.400f', $y) : $y) . '.';
  $xf //= '';
  $yf //= '';
  my $len = length($xf) > length($yf) ? length($xf) : length($yf);
  $xf .= '0' x ($len - length($xf));
  $yf .= '0' x ($len - length($yf));
  return ($xi <=> $yi || $xf cmp $yf) > 0;
}

# --- calls -----------------------------------------------------------------------

my @window_clauses = (
  'OVER ()', 'OVER (PARTITION BY g1)', 'OVER (PARTITION BY g2 ORDER BY o1 DESC NULLS FIRST)',
  'OVER (PARTITION BY g1, g2 ORDER BY id)', 'OVER (ORDER BY o1, id ROWS BETWEEN CURRENT ROW AND CURRENT ROW)',
  'OVER (PARTITION BY g1 ORDER BY %v RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
  'OVER (PARTITION BY g2 ORDER BY id DESC ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)', 'OVER w',
);

# The partition key of a window clause, for the reference.
sub part_of_clause
{
  my ($clause) = @_;
  return 'g1g2' if $clause =~ /PARTITION BY g1, g2/;
  return 'g1' if $clause =~ /PARTITION BY g1/;
  return 'g2' if $clause =~ /PARTITION BY g2/;
  return 'none';
}

my %SETTINGS_PARALLEL = (
  parallel_setup_cost => 0, parallel_tuple_cost => 0, min_parallel_table_scan_size => 0,
  max_parallel_workers_per_gather => 2,
);

# The value column of a kind, and how the check compares limits of that kind.
sub column { return $_[0] eq 'numeric' ? 'v' : 'f' }
sub same_limit
{
  my ($kind, $got, $want) = @_;
  return "$got IS NOT DISTINCT FROM $want" if $kind eq 'numeric';
  return "${got}::float8 IS NOT DISTINCT FROM ${want}::float8";
}

# One call of a value function: a tier window function, pareto_share, an
# aggregate (with abc_classify), abc_points, pareto_summary or lorenz_curve.
sub make_call
{
  my ($case) = @_;
  my $kind = pick('numeric', 'float8');
  my $col = column($kind);
  my $fn = pick(qw(abc_tier abc_tier_by_count abc_tier_computed pareto_share abc_cutoffs
                   abc_cutoffs_by_count abc_cutoffs_computed abc_points pareto_summary lorenz_curve));
  my %c = (fn => $fn, kind => $kind, tags => { %{ $case->{feat}{$kind} } }, ok => {});
  delete $c{tags}{aligned};
  my $rows = $case->{size};
  my $nonnull = $case->{nonnull}{$kind};
  my $poison = $case->{poison}{$kind};

  # thresholds: none (defaults), one or two; valid most of the time
  my @thr;
  my $by_count = $fn =~ /by_count/;
  if ($fn =~ /^abc_(tier|cutoffs)(_by_count)?$/) {
    my $arity = pick(0, 1, 2, 2, 2);
    my @def = $by_count ? ('0.20', '0.80') : ('0.80', '0.95');
    @thr = map { threshold($case, !chance(0.12)) } 1 .. $arity;
    # a <= b among valid thresholds, most of the time
    if (@thr == 2 && !threshold_state($thr[0]) && !threshold_state($thr[1])
        && threshold_gt($thr[0], $thr[1]) && chance(0.8)) {
      @thr = reverse @thr;
    }
    if (@thr == 1 && !threshold_state($thr[0]) && threshold_gt($thr[0], $def[1]) && chance(0.8)) {
      @thr = ($def[1]);
    }
    my @eff = (@thr, @def[scalar(@thr) .. 1]);
    $c{a} = $eff[0];
    $c{b} = $eff[1];
  }
  my %thr_err;
  for (@thr) { my $s = threshold_state($_); $thr_err{$s} = 1 if $s }
  if (!%thr_err && defined $c{a} && threshold_gt($c{a}, $c{b})) { $thr_err{22023} = 1 }
  my $points;
  if ($fn eq 'lorenz_curve') {
    if (chance(0.7)) {
      $points = chance(0.1) ? pick('1', '0', '-3', '100001', 'NULL::int') : pick(2, 3, 5, 11, 101, 1000, 7);
      $points = ri(2, 100000) if chance(0.03) && $rows < 100;
      $thr_err{$points =~ /NULL/ ? '22004' : '22023'} = 1 if $points =~ /NULL/ || $points < 2 || $points > 100000;
    }
    $c{points} = $points // 101;
    $c{tags}{'lorenz-wide-magnitudes'} = 1 if $case->{shapes} =~ /huge_tiny|scale_limit/ && $kind eq 'numeric';
    $c{tags}{'lorenz-wide-magnitudes'} = 1 if $case->{shapes} =~ /random_double|denormal|near_max/ && $kind eq 'float8';
    if ($avoid && $c{tags}{'lorenz-wide-magnitudes'}) { return make_call($case) }
  }
  if ($fn eq 'pareto_summary') {
    my %pos;
    $pos{$_}++ for grep { defined && $_ !~ /NaN|Inf/ && $_ > 0 } @{ $case->{vals}{$kind} };
    $c{tags}{'gini-equal-values'} = 1 if keys %pos == 1 || $case->{shapes} =~ /\b$kind (equal|ties)/;
    if ($avoid && $c{tags}{'gini-equal-values'}) { return make_call($case) }
  }
  my $args = join ', ', "$col", @thr;
  $args .= ", $points" if defined $points;
  my $expr = "account_tier.$fn($args)";
  my $is_window = $fn =~ /^(abc_tier|abc_tier_by_count|abc_tier_computed|pareto_share)$/;

  # the expected SQLSTATEs: errors need a row to be read
  my $reads = $is_window ? $rows > 0 : $nonnull > 0;
  if (%thr_err) {
    if ($reads) { $c{ok}{$_} = 1 for keys %thr_err; $c{ok}{22023} = 1 if $poison }
    if (!$is_window && $rows > 0 && !$nonnull) { $c{ok}{$_} = 1 for keys %thr_err, '00000' }
    $c{ok}{'00000'} = 1 unless $reads || ($rows > 0 && !$is_window && !$nonnull);
  }
  elsif ($poison) { $c{ok}{22023} = 1 }
  else { $c{ok}{'00000'} = 1 }
  $c{ok}{'00000'} = 1 if !%{ $c{ok} };

  my $ref = $fn =~ /^abc_(tier|cutoffs)_by_count$/ ? "fuzz.count_tier('$kind', '%P', $c{a}, $c{b})"
          : $fn =~ /^abc_(tier|cutoffs)$/ ? "fuzz.value_tier('$kind', '%P', $c{a}, $c{b})"
          : "fuzz.computed('$kind', '%P')";
  if ($is_window) {
    my $clause = pick(@window_clauses);
    $clause =~ s/%v/$col/;
    my $part = part_of_clause($clause);
    my $window = $clause eq 'OVER w' ? ' WINDOW w AS (PARTITION BY ' . pick('g1', 'g2', 'g1, g2') . ' ORDER BY o1)' : '';
    $part = part_of_clause($window) if $window;
    $c{parallel} = chance(0.2);
    $c{sql} = "CREATE TEMP TABLE got AS SELECT id, $expr $clause AS r FROM fuzz.data WHERE id > 0$window;";
    $ref =~ s/%P/$part/;
    if ($fn eq 'pareto_share') {
      $c{check} = <<"SQL";
SELECT format('row %s (%s %s): expected share %s, got %s', e.id, '$kind', d.$col, e.share::float8, g.r)
FROM fuzz.share('$kind', '$part') e JOIN fuzz.data d ON d.id = e.id FULL JOIN got g ON g.id = e.id
WHERE (g.r IS NULL) <> (e.share IS NULL) OR abs(g.r::numeric - e.share) > 1e-12 * e.share + 1e-15
   OR NOT g.r BETWEEN 0 AND 1
UNION ALL
SELECT format('the rows of value %s in partition %s have shares from %s to %s', e.x, e.p, min(g.r), max(g.r))
FROM fuzz.share('$kind', '$part') e JOIN got g ON g.id = e.id
WHERE e.x IS NOT NULL GROUP BY e.p, e.x HAVING min(g.r) IS DISTINCT FROM max(g.r)
LIMIT 5;
SQL
    }
    else {
      $c{check} = <<"SQL";
SELECT format('row %s (%s %s): expected %s, got %s', e.id, '$kind', d.$col, e.tier, g.r)
FROM $ref e JOIN fuzz.data d ON d.id = e.id FULL JOIN got g ON g.id = e.id
WHERE g.r::text IS DISTINCT FROM e.tier
LIMIT 5;
SQL
    }
    return \%c;
  }

  # aggregates: grouped like a window partition, or over the whole table
  my $part = pick('none', 'none', 'g1', 'g2', 'g1g2');
  my $group = $part eq 'none' ? '' : ' GROUP BY 1';
  my $key = $part eq 'none' ? '0::bigint' : "fuzz.part_key('$part', g1, g2)";
  $c{parallel} = $rows >= 1 && chance(0.5);
  $c{leader} = chance(0.5) ? 'off' : 'on';
  $c{sql} = "CREATE TEMP TABLE got AS SELECT $key AS p, $expr AS r FROM fuzz.data WHERE id > 0$group;";
  $ref =~ s/%P/$part/;
  # a group the reference does not know has no non-NULL value: NULL expected
  if ($fn =~ /^abc_cutoffs/) {
    my $same_a = same_limit($kind, '(g.r).a_min', 'e.a_min');
    my $same_b = same_limit($kind, '(g.r).b_min', 'e.b_min');
    $c{check} = <<"SQL";
SELECT format('group %s: expected cutoffs (%s,%s), got %s', coalesce(e.p, g.p), e.a_min, e.b_min, g.r)
FROM fuzz.cutoffs_of(\$\$$ref\$\$) e FULL JOIN got g ON g.p = e.p
WHERE NOT CASE WHEN coalesce(e.n, 0) = 0 THEN g.r::text IS NULL
               ELSE g.r::text IS NOT NULL AND $same_a AND $same_b END
LIMIT 5;
SQL
    # abc_classify with the aggregate's cutoffs, on every row
    $c{classify} = {
      sql => "CREATE TEMP TABLE got2 AS SELECT d.id, account_tier.abc_classify(d.$col, g.r) AS r "
           . "FROM fuzz.data d LEFT JOIN got g ON g.p = " . ($part eq 'none' ? '0' : "fuzz.part_key('$part', d.g1, d.g2)") . " WHERE d.id > 0;",
      check => <<"SQL",
SELECT format('row %s (%s %s): abc_classify with the aggregate''s cutoffs %s gives %s, expected %s',
              e.id, '$kind', d.$col, g.r, c.r, e.tier)
FROM $ref e JOIN fuzz.data d ON d.id = e.id JOIN got2 c ON c.id = e.id
LEFT JOIN got g ON g.p = e.p
WHERE c.r::text IS DISTINCT FROM e.tier
LIMIT 5;
SQL
    };
  }
  elsif ($fn eq 'abc_points') {
    my $same_a = same_limit($kind, '(g.r).a_min', 'e.a_min');
    my $same_b = same_limit($kind, '(g.r).b_min', 'e.b_min');
    $c{check} = <<"SQL";
WITH e AS (SELECT c.p, count(c.x) AS n, min(c.kp) AS kp, min(c.kb) AS kb, min(c.kc) AS kc,
                  min(c.x) FILTER (WHERE c.tier = 'A') AS a_min, min(c.x) FILTER (WHERE c.tier = 'B') AS b_min
           FROM $ref c GROUP BY c.p)
SELECT format('group %s: expected points (%s,%s,%s,%s,%s), got %s', coalesce(e.p, g.p), e.kp, e.kb, e.kc,
              e.a_min, e.b_min, g.r)
FROM e FULL JOIN got g ON g.p = e.p
WHERE NOT CASE WHEN coalesce(e.n, 0) = 0 THEN g.r::text IS NULL
               ELSE g.r::text IS NOT NULL AND (g.r).pareto_k IS NOT DISTINCT FROM e.kp
                    AND (g.r).break_even_k IS NOT DISTINCT FROM e.kb
                    AND (g.r).submarginal_k IS NOT DISTINCT FROM e.kc AND $same_a AND $same_b END
LIMIT 5;
SQL
  }
  elsif ($fn eq 'pareto_summary') {
    # float8: the total rounded to a double, shown with 17 digits (beyond
    # the double range, within the same relative error)
    my $total = $kind eq 'numeric' ? '(g.r).positive_total = e.positive_total'
      : "CASE WHEN e.positive_total > 1.7976931348623157e308"
      . " THEN abs((g.r).positive_total - e.positive_total) <= 2e-16 * e.positive_total"
      . " ELSE (g.r).positive_total::float8 = e.positive_total::float8 END";
    $c{check} = <<"SQL";
WITH e AS (SELECT * FROM fuzz.summary('$kind', '$part'))
SELECT format('group %s: expected (%s,%s,%s,%s,%s), got %s', coalesce(e.p, g.p), e.accounts, e.positive_total,
              e.gini::float8, e.top20_share::float8, e.accounts_for_80::float8, g.r)
FROM e FULL JOIN got g ON g.p = e.p
WHERE NOT CASE WHEN e.p IS NULL THEN g.r::text IS NULL
               ELSE g.r::text IS NOT NULL AND (g.r).accounts = e.accounts AND $total
                    AND ((g.r).gini IS NULL) = (e.gini IS NULL) AND abs((g.r).gini::numeric - e.gini) <= 1e-10
                    AND (g.r).gini >= 0
                    AND ((g.r).top20_share IS NULL) = (e.top20_share IS NULL)
                    AND abs((g.r).top20_share::numeric - e.top20_share) <= 1e-12 * e.top20_share + 1e-15
                    AND ((g.r).accounts_for_80 IS NULL) = (e.accounts_for_80 IS NULL)
                    AND abs((g.r).accounts_for_80::numeric - e.accounts_for_80) <= 1e-14 END
LIMIT 5;
SQL
  }
  elsif ($fn eq 'lorenz_curve') {
    $c{check} = <<"SQL";
WITH e AS (SELECT * FROM fuzz.lorenz('$kind', '$part', $c{points})),
     gk AS (SELECT g.p, u.k::int AS k, u.x FROM got g, unnest(g.r) WITH ORDINALITY u(x, k))
SELECT format('group %s point %s: expected %s, got %s', coalesce(e.p, gk.p), coalesce(e.k, gk.k), e.share::float8, gk.x)
FROM e FULL JOIN gk ON gk.p = e.p AND gk.k = e.k
WHERE e.share IS NULL OR gk.x IS NULL OR abs(gk.x::numeric - e.share) > 1e-12 * e.share + 1e-15
UNION ALL
SELECT format('group %s: expected NULL (no positive value), got %s', g.p, left(g.r::text, 80))
FROM got g WHERE g.r IS NOT NULL AND NOT EXISTS (SELECT FROM e WHERE e.p = g.p)
LIMIT 5;
SQL
  }
  return \%c;
}

# abc_classify with cutoffs written by hand (absolute thresholds).
sub make_classify_call
{
  my ($case) = @_;
  my $kind = pick('numeric', 'float8');
  my $col = column($kind);
  my %c = (fn => 'abc_classify', kind => $kind, tags => { %{ $case->{feat}{$kind} } }, ok => {});
  delete $c{tags}{aligned};
  # limits that are doubles exactly, and (for float8 values) limits that are not
  my @exact = ('NULL', '0', '-1', '5', '0.5', '0.25', '100', '1e20', '7', '0.1000000000000000055511151231257827021181583404541015625');
  my @inexact = ('0.1', '0.3', '0.30000000000000004', '1e-300', '0.10000000000000001', '123456789.123456789',
                 '0.1000000000000000055511151231257827021181583404541015626', rand_decimal(ri(1, 25), ri(0, 20), chance(0.2)),
                 '1e-16383', '1e400');
  my @pool = $kind eq 'float8' && $avoid ? @exact : (@exact, @inexact);
  my @lim = map { pick(@pool) } 1 .. 2;
  $c{tags}{'classify-float8-cutoffs'} = 1 if $kind eq 'float8' && grep { my $l = $_; grep { $_ eq $l } @inexact } @lim;
  my $nan = chance(0.05);
  $lim[ri(0, 1)] = pick("'NaN'", "'Infinity'", "'-Infinity'") if $nan;
  my $reads = $case->{nonnull}{$kind} > 0;
  $c{ok} = { ($reads && ($nan || $case->{poison}{$kind}) ? '22023' : '00000') => 1 };
  my $row = chance(0.5) ? "ROW($lim[0]::numeric, $lim[1]::numeric)::account_tier.cutoffs"
                        : "ROW($lim[0], $lim[1])";
  $row = "ROW($lim[0]::numeric, $lim[1]::numeric)" if $row eq "ROW($lim[0], $lim[1])" && "@lim" =~ /NULL|'/;
  $c{sql} = "CREATE TEMP TABLE got AS SELECT id, account_tier.abc_classify($col, $row) AS r FROM fuzz.data WHERE id > 0;";
  my $x = $kind eq 'numeric' ? 'd.v' : 'fuzz.exact(d.f)';
  my ($a, $b) = map { $_ eq 'NULL' ? 'NULL::numeric' : "$_\::numeric" } @lim;
  $c{check} = <<"SQL";
SELECT format('row %s (%s %s): expected %s, got %s', d.id, '$kind', d.$col, e.tier, g.r)
FROM fuzz.data d JOIN got g ON g.id = d.id
CROSS JOIN LATERAL (SELECT $x AS x) v
CROSS JOIN LATERAL (SELECT CASE WHEN v.x IS NULL THEN NULL WHEN v.x > 0 AND v.x >= $a THEN 'A'
                                WHEN v.x > 0 AND v.x >= $b THEN 'B' ELSE 'C' END AS tier) e
WHERE g.r::text IS DISTINCT FROM e.tier
LIMIT 5;
SQL
  return \%c;
}

# recommended_visits or recommended_visits_weighted on a generated book.
sub make_visits_call
{
  my ($case) = @_;
  my $weighted = chance(0.5);
  my %c = (fn => $weighted ? 'recommended_visits_weighted' : 'recommended_visits', kind => 'float8',
           tags => {}, ok => {});
  my $n = pick(0, 1, 2, 3, 5, 10, 30, 100, 300);
  my $owners = pick(1, 2, 4);
  my $mix = pick('ABC', 'BC', 'A', 'AC', 'C', 'AB', 'N');
  my $wkind = pick('uniform', 'pareto', 'equal', 'mixed', 'small', 'wide');
  my @shares = @{ pick([0.8, 0.2, 0.0], [0.7, 0.2, 0.1], [0, 0, 1], [1, 0, 0], [0, 0, 0], [0, 0.5, 0.5],
                       [0.56, 0.34, 0.1], [0.5, 0.3, 0.2], [rand() / 2, rand() / 3, rand() / 6]) };
  my $capacity = pick(0, 1, 52, 480, 600, 1e6, sprintf('%.3f', rand() * 2000), 1e-300);
  my $cap = pick(52, 1, 12, 'Infinity', 1e9, 3, sprintf('%.4f', 0.5 + rand() * 100));
  # how many of capacity, a_share, b_share, c_share, max_per_account are given
  my $np = pick(1, 2, 3, 4, 5);
  my @floors = (0, 0, 0);
  my $with_floors = $weighted && chance(0.3);
  if ($with_floors && !$avoid && chance(0.6)) {
    @floors = map { pick(0, 0, 1, 4, 0.5, 12) } 1 .. 3;
  }
  my @book;
  my %has;
  for my $i (1 .. $n) {
    my $t = $mix eq 'N' ? undef : substr($mix, int(rand(length $mix)), 1);
    $t = undef if chance(0.1);
    my $q = rand();
    my $w = $wkind eq 'uniform' ? sprintf('%.6f', 100 * $q)
          : $wkind eq 'pareto' ? sprintf('%.17g', 1000 * (1 - $q) ** (-1 / 1.16))
          : $wkind eq 'equal' ? 5
          : $wkind eq 'mixed' ? pick(undef, 0, -3, ri(1, 1000))
          : $wkind eq 'small' ? ri(1, 3)
          : sprintf('%.17g', 10 ** (20 * $q - 10));
    my $g = ri(1, $owners);
    $has{$g}{$t} = 1 if defined $t;
    push @book, [$i, $g, $t, $w];
  }
  # invalid parameters now and then
  if (chance(0.1)) {
    my $which = pick('capacity', 'share', 'cap', 'sum', 'weight', 'floor');
    if ($which eq 'capacity') { $capacity = pick(-1, 'NaN', 'Infinity', 'NULL') }
    elsif ($which eq 'share') { my $i = ri(0, 2); $shares[$i] = pick(-0.25, 1.5, 'NaN', 'NULL'); $np = 2 + $i if $np < 2 + $i }
    elsif ($which eq 'cap') { $cap = pick(0, -1, 'NaN', 'NULL'); $np = 5 }
    elsif ($which eq 'sum') { @shares = (0.6, 0.3, 0.2); $np = 4 if $np < 4 }
    elsif ($which eq 'weight' && $weighted && @book) { $book[ri(0, $#book)][3] = pick('NaN', 'Infinity', '-Infinity') }
    elsif ($which eq 'floor' && $weighted && !$avoid) {
      $floors[ri(0, 2)] = pick(-1, 1e9, 'NULL');
      $with_floors = 1;
    }
  }
  $np = 5 if $with_floors;
  $c{tags}{'visits-floors'} = 1 if $with_floors && grep { $_ ne '0' } @floors;
  # the arguments given, then the defaults
  my @def = (undef, 0.8, 0.2, 0.0, 52);
  my @given = ($capacity, @shares, $cap);
  my @eff = map { $_ < $np ? $given[$_] : $def[$_] } 0 .. 4;
  my @floor_eff = $with_floors ? @floors : (0, 0, 0);
  my $num = sub { my $x = shift; defined $x && $x =~ /^-?[\d.]+(e[+-]?\d+)?$/i };
  # a tier of share 0 with accounts: 1.3 gives it nothing, even surplus
  my %zero;
  for my $ti (1, 2) { $zero{ substr('ABC', $ti, 1) } = 1 if $num->($eff[1 + $ti]) && $eff[1 + $ti] == 0 }
  for my $t (keys %zero) { $c{tags}{'visits-zero-share'} = 1 if grep { $has{$_}{$t} } keys %has }
  if ($avoid && $c{tags}{'visits-zero-share'}) {
    # no account in a tier of share 0
    return make_visits_call($case) if $num->($eff[1]) && $eff[1] == 0;
    for (@book) { $_->[2] = 'A' if defined $_->[2] && $zero{ $_->[2] } }
    delete $c{tags}{'visits-zero-share'};
  }
  my $rows = @book;
  # expected errors (parameters are read only when the partition has rows)
  my %err;
  my ($lenient_sum, $lenient_weight) = (0, 0);
  if ($rows > 0) {
    for my $x (@eff, @floor_eff) { $err{22004} = 1 if $x eq 'NULL' }
    $err{22023} = 1 if $eff[0] =~ /NaN|Infinity/ || ($num->($eff[0]) && $eff[0] < 0);
    for my $s (@eff[1 .. 3]) { $err{22023} = 1 if $s eq 'NaN' || ($num->($s) && ($s < 0 || $s > 1)) }
    $err{22023} = 1 if $eff[4] eq 'NaN' || ($num->($eff[4]) && $eff[4] <= 0);
    for my $m (@floor_eff) {
      $err{22023} = 1 if $num->($m) && ($m < 0 || ($num->($eff[4]) && $m > $eff[4]));
    }
    my $sum = 0;
    $sum += $_ for grep { $num->($_) } @eff[1 .. 3];
    # a float8 sum just above 1 (0.56 + 0.34 + 0.1) may be taken as 1
    if ($sum > 1 + 1e-9) { $err{22023} = 1 }
    elsif ($sum > 1) { $lenient_sum = 1 }
    if ($weighted) {
      for (@book) {
        next unless defined $_->[3] && $_->[3] =~ /NaN|Inf/;
        if (defined $_->[2]) { $err{22023} = 1 } else { $lenient_weight = 1 }
      }
    }
  }
  $c{ok} = %err ? {%err} : { '00000' => 1, ($lenient_sum || $lenient_weight ? (22023 => 1) : ()) };
  my $lit = sub { my $x = shift; return $x eq 'NULL' ? 'NULL::float8' : $num->($x) ? "$x\::float8" : lit($x) . '::float8' };
  my @args = ('t', $weighted ? ('w') : (), map { $lit->($given[$_]) } 0 .. $np - 1);
  push @args, map { $lit->($_) } @floors if $with_floors;
  my $clause = pick('OVER (PARTITION BY g1)', 'OVER (PARTITION BY g1 ORDER BY o1 DESC)', 'OVER (PARTITION BY g1 ORDER BY id ROWS CURRENT ROW)');
  $clause = 'OVER ()' if $owners == 1 && chance(0.3);
  my $part = $clause eq 'OVER ()' ? 'none' : 'g1';
  my $book_sql = "TRUNCATE fuzz.book;\n";
  $book_sql .= "INSERT INTO fuzz.book (id, g1, o1, t, w) VALUES\n"
             . join(",\n", map { sprintf('(%d,%d,%s,%s,%s)', $_->[0], $_->[1], rand(), lit($_->[2]), lit($_->[3])) } @book)
             . ";\n" if @book;
  my @ref_shares = map { $num->($_) ? $_ : 0 } @eff[1 .. 3];
  my @ref_floors = map { $num->($_) ? $_ : 0 } @floor_eff;
  my $ref_cap = $eff[4] eq 'Infinity' ? "'Infinity'" : ($num->($eff[4]) ? $eff[4] : 1);
  my $ref_capacity = $num->($eff[0]) ? $eff[0] : 0;
  $c{sql} = $book_sql . "CREATE TEMP TABLE got AS SELECT id, account_tier.$c{fn}(" . join(', ', @args) . ") $clause AS r FROM fuzz.book;";
  $c{check} = <<"SQL";
SELECT format('account %s (tier %s, weight %s): expected %s visits, got %s', e.id, b.t, b.w, e.visits::float8, g.r)
FROM fuzz.visits('$part', @{[ $weighted ? 'true' : 'false' ]}, $ref_capacity, ARRAY[@{[ join ',', @ref_shares ]}]::float8[],
                 $ref_cap, ARRAY[@{[ join ',', @ref_floors ]}]::float8[]) e
JOIN fuzz.book b ON b.id = e.id FULL JOIN got g ON g.id = e.id
WHERE (g.r IS NULL) <> (e.visits IS NULL) OR abs(g.r::numeric - e.visits) > 1e-9 * ($ref_capacity + 1e-300)
LIMIT 5;
SQL
  return \%c;
}

# visit_cadence around its boundaries.
sub make_cadence_call
{
  my %c = (fn => 'visit_cadence', kind => 'float8', tags => {}, ok => {});
  my @x = map { pick(52, 51.999999999999993, 26, 25.999999999999996, 12, 6, 4, 2, 1, 0.99999999999999989,
                     0, '-0', '4.9406564584124654e-324', 'Infinity', 1e300, rand() * 60, ri(0, 60), undef) } 1 .. ri(1, 12);
  if (chance(0.15)) { $x[ri(0, $#x)] = pick(-1, 'NaN', '-Infinity', '-4.9406564584124654e-324') }
  my $bad = grep { defined && ($_ =~ /NaN|-Inf/ || ($_ !~ /Inf/ && $_ < 0)) } @x;
  $c{ok} = { ($bad ? '22023' : '00000') => 1 };
  my $i = 0;
  my $values = join ', ', map { $i++; "($i, " . lit($_) . '::float8)' } @x;
  $c{sql} = "CREATE TEMP TABLE got AS SELECT i AS id, x, account_tier.visit_cadence(x) AS r FROM (VALUES $values) t(i, x);";
  $c{check} = "SELECT format('visit_cadence(%s): expected %s, got %s', x, fuzz.cadence(x), r) FROM got "
            . "WHERE r IS DISTINCT FROM fuzz.cadence(x) LIMIT 5;";
  return \%c;
}

# sales_totals over generated sales lines, grouped or not, against sum() FILTER.
sub make_sales_call
{
  my ($case) = @_;
  my %c = (fn => 'sales_totals', kind => 'numeric', tags => {}, ok => {});
  my $n = pick(0, 1, 3, 10, 50, 400, 3000);
  my $ws = pick('2025-06-30', '2024-01-01');
  my %err;
  my @lines;
  my %group_ws;
  for my $i (1 .. $n) {
    my $g = ri(1, 4);
    my $d = chance(0.05) ? undef : sprintf('2025-%02d-%02d', ri(1, 12), ri(1, 28));
    my $amount = chance(0.05) ? undef : pick(rand_decimal(ri(1, 12), ri(0, 6), chance(0.2)),
                                             '170141183460469231731687303715884105727', '1e-30', '0.10', '0.20');
    my $margin = chance(0.2) ? undef : rand_decimal(ri(1, 8), ri(0, 3), chance(0.1));
    my $inc = pick('true', 'false', undef);
    my $w = $ws;
    if (chance(0.003)) { $w = pick(undef, '2025-01-01') }
    push @lines, [$i, $g, $d, $amount, $margin, $inc, $w];
  }
  if ($n > 0 && chance(0.05)) { $lines[ri(0, $#lines)][3] = pick('NaN', 'Infinity') }
  my $part = pick('none', 'g1');
  for my $l (@lines) {
    my $key = $part eq 'none' ? 0 : $l->[1];
    if (!defined $l->[6]) { $err{22004} = 1; next }
    $err{22023} = 1 if exists $group_ws{$key} && defined $group_ws{$key} && $group_ws{$key} ne $l->[6];
    $group_ws{$key} //= $l->[6];
  }
  my $lenient = 0;
  for my $l (@lines) {
    next unless defined $l->[3] && $l->[3] =~ /NaN|Inf/;
    if (defined $l->[2]) { $err{22023} = 1 } else { $lenient = 1 }
  }
  $c{ok} = %err ? {%err} : { '00000' => 1 };
  $c{ok}{'00000'} = 1 if $lenient && !%err;
  $c{ok}{22023} = 1 if $lenient && !%err;
  my $key = $part eq 'none' ? '0' : 'g1';
  my $group = $part eq 'none' ? '' : ' GROUP BY 1';
  $c{parallel} = chance(0.5);
  $c{leader} = pick('on', 'off');
  # padding lines of id <= 0 around the real ones, for parallel plans
  my $sql = "TRUNCATE fuzz.lines;\n";
  $sql .= "INSERT INTO fuzz.lines (id) SELECT -g FROM generate_series(1, 7000) g;\n" if $c{parallel};
  while (my @chunk = splice(@lines, 0, 1000)) {
    $sql .= "INSERT INTO fuzz.lines VALUES\n"
          . join(",\n", map { my $l = $_; '(' . join(',', $l->[0], $l->[1], map { lit($l->[$_]) } 2 .. 6) . ')' } @chunk) . ";\n";
  }
  $sql .= "INSERT INTO fuzz.lines (id) SELECT -g FROM generate_series(7001, 14000) g;\n" if $c{parallel};
  $sql .= "ANALYZE fuzz.lines;\n";
  $c{sql} = $sql . "CREATE TEMP TABLE got AS SELECT $key AS p, account_tier.sales_totals(booked_on, amount, margin, incremental, ws) AS r FROM fuzz.lines WHERE id > 0$group;";
  $c{check} = <<"SQL";
WITH e AS (SELECT $key AS p,
                  sum(amount) FILTER (WHERE booked_on > ws) AS revenue,
                  sum(amount) FILTER (WHERE booked_on <= ws) AS prior_revenue,
                  sum(margin) FILTER (WHERE booked_on > ws) AS margin,
                  sum(amount) FILTER (WHERE booked_on > ws AND incremental) AS incremental_revenue
           FROM fuzz.lines WHERE id > 0$group)
SELECT format('group %s: expected (%s,%s,%s,%s), got %s', coalesce(e.p, g.p), e.revenue, e.prior_revenue,
              e.margin, e.incremental_revenue, g.r)
FROM e FULL JOIN got g ON g.p = e.p
WHERE (g.r).revenue::text IS DISTINCT FROM e.revenue::text
   OR (g.r).prior_revenue::text IS DISTINCT FROM e.prior_revenue::text
   OR (g.r).margin::text IS DISTINCT FROM e.margin::text
   OR (g.r).incremental_revenue::text IS DISTINCT FROM e.incremental_revenue::text
LIMIT 5;
SQL
  return \%c;
}

# --- running ---------------------------------------------------------------------

# Runs a psql script; returns its output lines and whether psql lost the
# connection (a crash of the server process).
sub run_psql
{
  my ($script, $dbname) = @_;
  my $file = "$out/current.sql";
  open my $fh, '>', $file or die "$file: $!";
  print $fh $script;
  close $fh;
  my @lines = `psql -X -q -A -t -v ON_ERROR_STOP=0 -d $dbname -f $file 2>$out/current.err`;
  my $rc = $? >> 8;
  chomp @lines;
  my $err = do { local $/; open my $e, '<', "$out/current.err"; <$e> // '' };
  my $lost = $rc == 2 || $err =~ /server closed the connection|connection to server was lost|terminating connection/;
  return (\@lines, $lost, $err);
}

# Waits for the server to accept connections again after a crash.
sub wait_for_server
{
  for (1 .. 120) {
    return if system("psql -X -q -d $db -c 'SELECT 1' >/dev/null 2>&1") == 0;
    sleep 0.5;
  }
  die "the server did not come back after a crash\n";
}

my %stats = (calls => 0, cases => 0, crashes => 0, wrong => 0, unexpected => 0, harness => 0,
             parallel => 0, workers => 0, known => 0);
my %by_state;
my %by_fn;
my @failures;

# The psql lines that run one call and report on it.  The checks run with
# hash joins only: the reference's row counts are unknown to the planner, and
# a nested loop over them would be quadratic.
sub call_script
{
  my ($c, $n) = @_;
  my $s = "\\echo \@\@call $n\n";
  my @set;
  if ($c->{parallel}) {
    push @set, map { "SET $_ = $SETTINGS_PARALLEL{$_};" } sort keys %SETTINGS_PARALLEL;
    push @set, "SET parallel_leader_participation = " . ($c->{leader} // 'on') . ";";
  }
  $s .= join("\n", @set) . "\n" if @set;
  $s .= "DROP TABLE IF EXISTS got, got2;\n";
  my $sql = $c->{sql};
  if ($c->{parallel} && $sql =~ /^(.*)^(CREATE TEMP TABLE got AS .*)\z/ms) {
    $sql = "$1EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $2";
  }
  my $check = sub {
    my ($q, $tag) = @_;
    return "SET enable_nestloop = off;\nSET enable_mergejoin = off;\n$q\\echo \@\@$tag :SQLSTATE :LAST_ERROR_MESSAGE\n"
         . "RESET enable_nestloop;\nRESET enable_mergejoin;\n";
  };
  $s .= "$sql\n\\echo \@\@got :SQLSTATE :LAST_ERROR_MESSAGE\n";
  $s .= "SELECT :'SQLSTATE' = '00000' AS fuzz_ok \\gset\n\\if :fuzz_ok\n" . $check->($c->{check}, 'check');
  if ($c->{classify}) {
    $s .= "$c->{classify}{sql}\n\\echo \@\@classify :SQLSTATE :LAST_ERROR_MESSAGE\n"
        . "SELECT :'SQLSTATE' = '00000' AS fuzz_ok \\gset\n\\if :fuzz_ok\n"
        . $check->($c->{classify}{check}, 'check2') . "\\endif\n";
  }
  $s .= "\\endif\n";
  $s .= join('', map { "RESET $_;\n" } sort(keys %SETTINGS_PARALLEL), 'parallel_leader_participation') if @set;
  return $s;
}

# Records a failure and writes its reproduction.
sub fail
{
  my ($case, $c, $what, $detail) = @_;
  my $n = @failures + 1;
  my @tags = sort keys %{ $c->{tags} };
  my $known = join ', ', grep { $KNOWN{$_} } @tags;
  $stats{known}++ if $known;
  my $file = "$out/failure-$n.sql";
  open my $fh, '>', $file or die "$file: $!";
  print $fh "-- $what: $c->{fn} ($c->{kind}), case $stats{cases} of seed $seed, shapes: $case->{shapes}\n";
  print $fh "-- known area: $known\n" if $known;
  print $fh map { "-- $_\n" } split /\n/, $detail;
  print $fh "-- Load the reference first: psql -f tools/fuzz/reference.sql (needs the extension)\n";
  print $fh "CREATE EXTENSION IF NOT EXISTS account_tier;\n$case->{data_sql}";
  if ($c->{parallel}) {
    print $fh map { "SET $_ = $SETTINGS_PARALLEL{$_};\n" } sort keys %SETTINGS_PARALLEL;
    print $fh "SET parallel_leader_participation = " . ($c->{leader} // 'on') . ";\n";
  }
  print $fh "DROP TABLE IF EXISTS got, got2;\n$c->{sql}\n$c->{check}";
  print $fh "$c->{classify}{sql}\n$c->{classify}{check}" if $c->{classify};
  close $fh;
  push @failures, { what => $what, fn => $c->{fn}, kind => $c->{kind}, known => $known,
                    detail => $detail, file => $file, sql => $c->{sql}, data => $case->{data_sql} };
}

# Reads the output of a case's script, call by call.
sub judge
{
  my ($case, $lines, $lost, $err) = @_;
  my %seen;
  my ($cur, @body);
  my @events;
  for my $l (@$lines) {
    if ($l =~ /^\@\@(call|got|check2|check|classify) ?(\S*) ?(.*)$/) {
      push @events, [$1, $2, $3, [@body]];
      @body = ();
    }
    else { push @body, $l }
  }
  my $calls = $case->{calls};
  my $current;
  for my $e (@events) {
    my ($tag, $arg, $msg, $body) = @$e;
    if ($tag eq 'call') { $current = $calls->[$arg - 1]; $seen{$arg} = 1; $current->{started} = 1; next }
    my $c = $current;
    if ($tag eq 'got' || $tag eq 'classify') {
      my $fn = $tag eq 'classify' ? 'abc_classify' : $c->{fn};
      $c->{done}{$tag} = 1;
      $stats{calls}++;
      $by_fn{$fn}++;
      $by_state{$arg}++;
      if ($tag eq 'got' && $c->{parallel}) {
        $stats{parallel}++;
        my $plan = join "\n", @$body;
        $stats{workers}++ if $plan =~ /Workers Launched: [1-9]/;
        print STDERR "no workers for $c->{fn}:\n$plan\n" if $ENV{FUZZ_VERBOSE} && $plan !~ /Workers Launched: [1-9]/;
      }
      my $ok = $tag eq 'classify' ? ($c->{classify_ok} // { '00000' => 1, 22023 => $case->{poison}{ $c->{kind} } }) : $c->{ok};
      next if $ok->{$arg};
      if ($arg eq '00000') {
        fail($case, $c, 'missing error', "$fn succeeded; expected SQLSTATE " . join('/', sort keys %$ok));
        $stats{wrong}++;
      }
      elsif ($arg eq '57014') {
        fail($case, $c, 'timeout', "$fn ran longer than ${timeout}s: $msg");
        $stats{wrong}++;
      }
      else {
        fail($case, $c, 'unexpected error', "$fn: SQLSTATE $arg ($msg); expected " . join('/', sort keys %$ok));
        $stats{unexpected}++;
      }
    }
    elsif ($tag eq 'check' || $tag eq 'check2') {
      my @mismatch = grep { length } @$body;
      if ($arg ne '00000') {
        fail($case, $c, 'reference error', "the check itself failed: $arg $msg");
        $stats{harness}++;
      }
      elsif (@mismatch) {
        fail($case, $c, 'wrong answer', join("\n", @mismatch));
        $stats{wrong}++;
      }
    }
  }
  if ($lost) {
    my $c = $current;
    my $fn = $c ? $c->{fn} : 'setup';
    $stats{crashes}++;
    $stats{calls}++;
    $by_fn{$fn}++;
    $by_state{crash}++;
    fail($case, $c // { fn => 'setup', kind => '', tags => {}, sql => '', check => '' },
         'crash', "the server lost the connection during $fn\n" . join("\n", grep { /\S/ } split /\n/, $err));
    wait_for_server();
  }
}

# --- main -------------------------------------------------------------------------

my $here = dirname(__FILE__);
system("psql -X -q -d postgres -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS $db' -c 'CREATE DATABASE $db' >/dev/null") == 0
  or die "cannot create database $db\n";
my ($setup, undef, $serr) = run_psql("\\set ON_ERROR_STOP 1\nCREATE EXTENSION account_tier;\n\\i $here/fuzz/reference.sql\n"
                                     . "\\echo \@\@ready\n", $db);
die "cannot set up the fuzz database:\n$serr" unless grep { $_ eq '@@ready' } @$setup;

# The reference checks itself: exact values of doubles, and a parallel plan
# that really runs partial aggregates in workers.
my ($self) = run_psql(<<'SQL', $db);
SELECT 'exact' WHERE fuzz.exact(0.1) <> 0.1000000000000000055511151231257827021181583404541015625
   OR fuzz.exact(5e-324) * 2::numeric ^ 1074 <> 1 OR fuzz.exact('-0')::text <> '0'
   OR fuzz.exact(1.7976931348623157e308) <> (2::numeric ^ 53 - 1) * 2::numeric ^ 971
   OR (SELECT bool_or(fuzz.exact(x)::float8 <> x) FROM (VALUES (0.1::float8), (1e-310), (3.5e300), (-2.5), (123.456)) t(x));
INSERT INTO fuzz.data (id, g1, v, f) SELECT i, i % 3, i, i FROM generate_series(1, 20000) i;
ANALYZE fuzz.data;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT account_tier.abc_cutoffs(v) FROM fuzz.data;
SQL
my $selftext = join "\n", @$self;
die "fuzz.exact is wrong:\n$selftext\n" if $selftext =~ /^exact$/m;
die "no parallel plan with partial aggregates in workers:\n$selftext\n"
  unless $selftext =~ /Partial Aggregate/ && $selftext =~ /Workers Launched: [1-9]/;

printf "fuzz: seed %s, %ss, known defects: %s, reproductions in %s\n", $seed, $seconds,
  $avoid ? 'avoided' : 'included', $out;
my $start = time;
while (time - $start < $seconds && !(defined $max_cases && $stats{cases} >= $max_cases)) {
  my $case = make_case();
  $stats{cases}++;
  my $script = "SET statement_timeout = '${timeout}s';\nSET client_min_messages = warning;\n"
             . "SET extra_float_digits = 3;\nSET jit = off;\n$case->{data_sql}";
  my $n = 0;
  $script .= call_script($_, ++$n) for @{ $case->{calls} };
  my $t0 = time;
  if ($ENV{FUZZ_VERBOSE}) { open my $k, '>', "$out/case-$stats{cases}.sql"; print $k $script; close $k }
  my ($lines, $lost, $err) = run_psql($script, $db);
  judge($case, $lines, $lost, $err);
  printf STDERR "case %d: %d rows, %s, %d calls, %.2fs\n", $stats{cases}, $case->{size}, $case->{shapes},
    scalar @{ $case->{calls} }, time - $t0 if $ENV{FUZZ_VERBOSE};
}

# --- summary ----------------------------------------------------------------------

my $elapsed = time - $start;
for my $f (@failures) {
  print "\nFAILURE ($f->{what}) in $f->{fn} ($f->{kind})" . ($f->{known} ? " [known area: $f->{known}]" : ' [new]') . "\n";
  print "  $_\n" for split /\n/, $f->{detail};
  my $call = $f->{sql};
  $call =~ s/^(INSERT|TRUNCATE|ANALYZE).*?;\n//gms;
  print "  call: $call\n";
  my $data = $f->{data};
  $data = substr($data, 0, 1500) . "\n  ... (" . length($f->{data}) . " characters)" if length $data > 1500;
  print "  data: ", join("\n  ", split /\n/, $data), "\n";
  print "  reproduction: $f->{file}\n";
}
print "\nfuzz summary (seed $seed, ", sprintf('%.0f', $elapsed), "s, known defects ", $avoid ? 'avoided' : 'included', ")\n";
print "  cases: $stats{cases}, calls: $stats{calls} (parallel plans: $stats{parallel}, with workers launched: $stats{workers})\n";
print "  calls per function: ", join(', ', map { "$_ $by_fn{$_}" } sort keys %by_fn), "\n";
print "  per SQLSTATE: ", join(', ', map { "$_ $by_state{$_}" } sort keys %by_state), "\n";
print "  crashes: $stats{crashes}\n";
print "  wrong answers: $stats{wrong}\n";
print "  unexpected errors: $stats{unexpected}\n";
print "  reference errors: $stats{harness}\n";
print "  failures in known areas: $stats{known} of ", scalar(@failures), "\n";
if ($stats{known}) {
  my %areas;
  $areas{$_} = 1 for map { split /, / } grep { $_ } map { $_->{known} } @failures;
  print "  known areas (FUZZ_KNOWN=avoid leaves them out):\n";
  print "    $_: $KNOWN{$_}\n" for sort keys %areas;
}
exit(@failures ? 1 : 0);
