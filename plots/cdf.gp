# CDF of one exit kind, native and KVM overlaid.
# Variables (besides style.gp's), one blank-separated word per series:
#   files  cdf-ID.dat files (docs/analysis-outputs.md)   titles  key titles
#   lts    line types (style.gp: 1 native, 2 KVM)
# and kind (the exit kind, the key's title), xlog (1: log x axis).
if (!exists("plotdir")) plotdir = 'plots'
load plotdir.'/style.gp'
n = words(files)

set yrange [0:1.02]
set ytics 0, 0.25, 1
set mytics 5
set ylabel 'cumulative fraction P(X ≤ x)'
if (is_tex) set ylabel 'cumulative fraction $P(X \le x)$'
set xlabel cyc_label
set key bottom right title kind
if (xlog) { set logscale x; set mxtics 10; set format x '%.0f' }
if (!xlog) set offsets graph 0.05, graph 0.05, 0, 0

# "cdf" is P(X <= value): a right-continuous step at each distinct value.
plot for [i=1:n] word(files, i) using 1:2 with steps lt word(lts, i) + 0 \
	title word(titles, i)

eval ns_axis
eval set_term
replot
