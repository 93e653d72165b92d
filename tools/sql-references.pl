#!/usr/bin/perl
# tools/sql-references.pl FILE... — lists what the install and upgrade
# scripts refer to by name, for the escalation test (test/pgtap/escalation.sql),
# which plants a look-alike of each in the extension's schema.
#
# Reads SQL (and the plpgsql of dollar-quoted bodies, tokenized the same way),
# skipping comments, string literals and psql meta-commands, and prints one
# tab-separated line per reference:
#   function  NAME  ARITY  QUALIFIER  FILE:LINE   a call NAME(...) with ARITY
#                                                 arguments (QUALIFIER: its
#                                                 schema, or - when unqualified)
#   operator  SYMBOL  2|1  QUALIFIER  FILE:LINE   an infix (2) or prefix (1)
#                                                 operator; QUALIFIER is the
#                                                 schema of OPERATOR(schema.op)
#   statement WORDS  -  -  FILE:LINE              the first words of each
#                                                 top-level statement
# Constructs that pick an operator by name without showing it (IN, NOT IN,
# CASE x WHEN, NULLIF, IS [NOT] DISTINCT FROM, JOIN ... USING, BETWEEN, LIKE)
# are reported as the operators they use, unqualified.
#
# It over-reports on purpose (a keyword followed by a parenthesis that is not
# in the list below is taken for a function): a name planted in vain costs
# nothing, a name missed is a hole in the test.
use strict;
use warnings;

# Words that take a parenthesis without being a function call.
my %not_a_call = map { $_ => 1 } qw(
  all and any array as asc between by cascade case cast check coalesce collate
  constraint create cross current_date default delete desc distinct do each
  else end except exists extract filter for foreign from full greatest grouping
  having if in index inner insert intersect into is join key last lateral least
  left like limit not null nulls nullif of offset on or order over partition
  primary references restrict returning returns right row rows select set
  sets table then to trim union unique update using values view when where
  window with within
);

my @out;

# Emits one reference line.
sub emit { push @out, join("\t", @_) }

# Tokenizes SQL text: returns [type, text, line] triples.
sub tokenize {
  my ($text, $line, $file) = @_;
  my @tokens;
  pos($text) = 0;
  while (pos($text) < length $text) {
    if ($text =~ /\G(\s+)/gc) { $line += ($1 =~ tr/\n//); next }
    if ($text =~ /\G(--[^\n]*)/gc) { next }
    if ($text =~ /\G\/\*/gc) {
      my $depth = 1;
      while ($depth && $text =~ /\G(.*?)(\/\*|\*\/)/gcs) {
        $line += ($1 =~ tr/\n//);
        $depth += $2 eq '/*' ? 1 : -1;
      }
      next;
    }
    # a psql meta-command takes the rest of its line
    if ($text =~ /\G(\\[^\n]*)/gc) { next }
    if ($text =~ /\G([Ee]?'(?:[^'\\]|''|\\.)*')/gcs) {
      $line += ($1 =~ tr/\n//);
      push @tokens, ['string', $1, $line];
      next;
    }
    if ($text =~ /\G(\$([A-Za-z_][A-Za-z0-9_]*)?\$)/gc) {
      my ($tag, $start) = ($1, $line);
      $text =~ /\G(.*?)\Q$tag\E/gcs or die "$file:$line: unterminated $tag\n";
      my $body = $1;
      push @tokens, ['body', $body, $start];
      $line += ($body =~ tr/\n//);
      next;
    }
    if ($text =~ /\G("(?:[^"]|"")*")/gc) { push @tokens, ['ident', lc $1, $line]; next }
    if ($text =~ /\G([A-Za-z_][A-Za-z0-9_\$]*)/gc) { push @tokens, ['ident', lc $1, $line]; next }
    if ($text =~ /\G(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)/gc) { push @tokens, ['number', $1, $line]; next }
    if ($text =~ /\G(::|:=|=>)/gc) { push @tokens, ['punct', $1, $line]; next }
    if ($text =~ /\G([-+*\/<>=~!@#%^&|`?]+)/gc) { push @tokens, ['op', $1, $line]; next }
    if ($text =~ /\G(.)/gcs) { push @tokens, ['punct', $1, $line]; next }
  }
  return @tokens;
}

# The number of arguments of the call whose "(" is at index $open, and the
# index of its ")".
sub arguments {
  my ($tokens, $open) = @_;
  my ($depth, $commas, $empty, $ordered) = (0, 0, 1, 0);
  for my $i ($open + 1 .. $#$tokens) {
    my ($type, $text) = @{$tokens->[$i]};
    if ($type eq 'punct' && ($text eq '(' || $text eq '[')) { $depth++; $empty = 0; next }
    if ($type eq 'punct' && ($text eq ')' || $text eq ']')) {
      if ($depth == 0) { return ($empty ? 0 : $commas + 1, $i) }
      $depth--;
      next;
    }
    next if $type eq 'op' && $text eq '*' && $empty && $depth == 0 && $tokens->[$i + 1][1] eq ')';
    $empty = 0;
    # an aggregate's ORDER BY list is not arguments
    $ordered = 1 if $depth == 0 && $type eq 'ident' && $text eq 'order';
    $commas++ if $depth == 0 && !$ordered && $type eq 'punct' && $text eq ',';
  }
  return ($commas + 1, $#$tokens);
}

# Reports the references of one token list.
sub scan {
  my ($file, @t) = @_;
  my $statement_start = 1;
  for (my $i = 0; $i < @t; $i++) {
    my ($type, $text, $line) = @{$t[$i]};
    my $where = "$file:$line";
    my $next = $i + 1 < @t ? $t[$i + 1][1] : '';
    my $prev = $i > 0 ? $t[$i - 1][1] : '';

    if ($statement_start && $type ne 'punct') {
      my @words;
      for (my $j = $i; $j < @t && @words < 8 && $t[$j][1] ne ';'; $j++) {
        push @words, $t[$j][0] eq 'body' ? '$body$' : $t[$j][1];
      }
      emit('statement', join(' ', @words), '-', '-', $where);
      $statement_start = 0;
    }
    $statement_start = 1 if $type eq 'punct' && $text eq ';';

    if ($type eq 'body') {
      scan("$file(body from line $line)", tokenize($text, 1, $file));
      next;
    }
    if ($type eq 'ident' && $text eq 'operator' && $next eq '(') {
      # OPERATOR(schema.op) or OPERATOR(op)
      my ($j, $schema, $symbol) = ($i + 2, '-', '');
      if ($t[$j][0] eq 'ident' && $t[$j + 1][1] eq '.') { $schema = $t[$j][1]; $j += 2 }
      $symbol = $t[$j][1];
      emit('operator', $symbol, infix(\@t, $i) ? 2 : 1, $schema, $where);
      $i = $j + 1;
      next;
    }
    if ($type eq 'op') {
      # SELECT *, t.*, count(*): a star, not an operator
      next if $text eq '*' && ($prev eq '.' || $prev eq ',' || $prev eq '(' || $prev eq 'select');
      emit('operator', $text, infix(\@t, $i) ? 2 : 1, '-', $where);
      next;
    }
    next unless $type eq 'ident';

    # constructs that choose an operator by name
    if ($text eq 'in' && $next eq '(') { emit('operator', '=', 2, '-', $where) }
    if ($text eq 'nullif' && $next eq '(') { emit('operator', '=', 2, '-', $where) }
    if ($text eq 'distinct' && $prev eq 'is' || $text eq 'distinct' && $prev eq 'not' && $t[$i - 2][1] eq 'is') {
      emit('operator', '=', 2, '-', $where);
    }
    if ($text eq 'using' && $next eq '(' ) { emit('operator', '=', 2, '-', $where) }
    if ($text eq 'between') { emit('operator', $_, 2, '-', $where) for ('>=', '<=') }
    if ($text eq 'like') { emit('operator', '~~', 2, '-', $where) }
    if ($text eq 'ilike') { emit('operator', '~~*', 2, '-', $where) }
    if ($text eq 'case' && $next ne 'when') { emit('operator', '=', 2, '-', $where) }

    next unless $next eq '(' && !$not_a_call{$text};
    # a qualified name: schema . name (
    my $schema = '-';
    $schema = $t[$i - 2][1] if $prev eq '.' && $i >= 2 && $t[$i - 2][0] eq 'ident';
    my ($arity) = arguments(\@t, $i + 1);
    emit('function', $text, $arity, $schema, $where);
  }
}

# Whether the operator token at $i has a left operand (infix) or not (prefix).
sub infix {
  my ($t, $i) = @_;
  return 0 if $i == 0;
  my ($type, $text) = @{$t->[$i - 1]};
  return 1 if $type eq 'number' || $type eq 'string';
  return 1 if $type eq 'punct' && ($text eq ')' || $text eq ']');
  return 1 if $type eq 'ident' && !$not_a_call{$text} || $type eq 'ident' && $text =~ /^(end|null)$/;
  return 0;
}

for my $file (@ARGV) {
  open my $fh, '<', $file or die "$file: $!\n";
  local $/;
  my $text = <$fh>;
  close $fh;
  # CREATE/ALTER EXTENSION substitutes these before the script is parsed
  $text =~ s/\@(extowner|extschema)\@/$1/g;
  scan($file, tokenize($text, 1, $file));
}
print "$_\n" for @out;
