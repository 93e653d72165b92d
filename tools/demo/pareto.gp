# The Pareto chart of `make demo`: share of accounts (largest first) against
# share of revenue, with the bands of tiers A, B and C.  tools/demo-run.sh sets
#   curve       a data file: account_share revenue_share, one line per point
#   output      the PNG to write
#   as_of       the day the book describes
#   a_accounts, a_revenue   the shares of accounts and of revenue of tier A
#   b_accounts, b_revenue   the same for tiers A and B together
#   a_time, b_time, c_time  each tier's share of the planned field visits
# (shares from 0 to 1).

set terminal pngcairo size 860,860 enhanced font "DejaVu Sans,11"
set output output

a = 100 * a_accounts
b = 100 * b_accounts

set title sprintf("{/:Bold The 80/20 curve of the book, as of %s}\n\n", as_of) font ",14"
set tmargin 6
set xlabel "share of accounts (largest first)"
set ylabel "share of revenue"
set xrange [0:100]
set yrange [0:100]
set xtics 10 format "%g%%"
set ytics 10 format "%g%%"
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set key bottom right box opaque spacing 1.3 width 1

# The tiers as bands, named at the top, and their limits as dashed lines.
set object 1 rectangle from 0, 0 to a, 100 behind fc rgb "#cfe3f7" fs solid 1.0 noborder
set object 2 rectangle from a, 0 to b, 100 behind fc rgb "#e6f0e0" fs solid 1.0 noborder
set object 3 rectangle from b, 0 to 100, 100 behind fc rgb "#f3f3f3" fs solid 1.0 noborder
set label 1 "{/:Bold A}" at a / 2, graph 1.025 center font ",13"
set label 2 "{/:Bold B}" at (a + b) / 2, graph 1.025 center font ",13"
set label 3 "{/:Bold C}" at (b + 100) / 2, graph 1.025 center font ",13"
set label 6 "A: key accounts    B: secondary accounts    C: the rest" at graph 0.5, graph 1.085 center
# What the plan gives each tier, at the foot of its band.
set label 7 sprintf("%.0f%% of the\nfield visits", 100 * a_time) at a / 2, 6 center front
set label 8 sprintf("%.0f%% of the\nfield visits", 100 * b_time) at (a + b) / 2, 6 center front
set label 9 sprintf("%.0f%% of the field visits%s", 100 * c_time, \
                    c_time > 0 ? "" : ":\nserved by customer service") at (b + 100) / 2, 24 center front
set arrow 1 from a, 0 to a, 100 nohead back lc rgb "#4a6fa5" lw 1.5 dt 2
set arrow 2 from b, 0 to b, 100 nohead back lc rgb "#4a7a3a" lw 1.5 dt 2

# Where each limit meets the curve: x% of accounts bring y% of revenue (on a
# white box, over the dashed line of a narrow band).
set style textbox opaque fillcolor rgb "#ffffff" noborder margins 2, 2
set label 4 sprintf("the top %.1f%% of accounts\nbring %.1f%% of revenue", a, 100 * a_revenue) \
    at a + 1.5, 100 * a_revenue - 5 left front boxed
set label 5 sprintf("the top %.1f%% of accounts\nbring %.1f%% of revenue", b, 100 * b_revenue) \
    at b + 1.5, 100 * b_revenue - 5 left front boxed

plot curve using (100 * $1):(100 * $2) with lines lw 2.5 lc rgb "#1f4e99" title "the book's accounts", \
     x with lines lw 1 lc rgb "#888888" dt 3 title "every account alike", \
     "+" using (a):(100 * a_revenue) every ::0::0 with points pt 7 ps 1.3 lc rgb "#1f4e99" notitle, \
     "+" using (b):(100 * b_revenue) every ::0::0 with points pt 7 ps 1.3 lc rgb "#1f4e99" notitle
