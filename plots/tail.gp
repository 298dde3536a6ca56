# Tail of one exit kind: complementary CDF P(X >= x) on a log scale, with each
# series' p50, p99 and p99.9 marked on its curve.
# Variables (besides style.gp's): data, dir (plots/read-kind.gp: a kind-N.dat
# of exitlat-analyze --gnuplot: the series' cdf-ID.dat files, titles, line
# types and quantiles, the axes, ymin = 1 / the largest count).
if (!exists("plotdir")) plotdir = 'plots'
load plotdir.'/read-kind.gp'
load plotdir.'/style.gp'
if (is_tex) set key width -tex_extra

set logscale y
set format y log_fmt
set yrange [ymin / 2:1.5]
set ylabel 'tail fraction P(X ≥ x)'
if (is_tex) set ylabel 'tail fraction $P(X \ge x)$'
set xlabel cyc_label
set key bottom left title (is_tex ? kind_tex : kind)
if (xlog) { set logscale x; set mxtics 10; set format x '%.0f' }
if (!xlog) set offsets graph 0.05, graph 0.05, 0, 0

# Reference levels: a quantile p sits where the tail falls to 1 - p.
set arrow 11 from graph 0, first 0.5   to graph 1, first 0.5   nohead back lc rgb '#999999' dt (2,3) lw 0.8
set arrow 12 from graph 0, first 0.01  to graph 1, first 0.01  nohead back lc rgb '#999999' dt (2,3) lw 0.8
# The levels are named in the right margin, clear of the curves.
set rmargin 6
set label 11 'p50'   at graph 1, first 0.5   left offset 0.5, 0 tc rgb '#555555'
set label 12 'p99'   at graph 1, first 0.01  left offset 0.5, 0 tc rgb '#555555'
if (ymin <= 0.001) {
	set arrow 13 from graph 0, first 0.001 to graph 1, first 0.001 nohead back lc rgb '#999999' dt (2,3) lw 0.8
	set label 13 'p99.9' at graph 1, first 0.001 left offset 0.5, 0 tc rgb '#555555'
}

# "ccdf" is P(X >= value): the step falls after each distinct value.
plot for [i=1:n] dir.CDF[i] using 1:3 with fsteps lt LT[i] \
	title (is_tex ? TITLE_TEX[i] : TITLE[i]), \
     for [i=1:n] '+' using (Q50[i]):(0.5) every ::0::0 with points \
	lt LT[i] ps 0.7 notitle, \
     for [i=1:n] '+' using (Q99[i]):(0.01) every ::0::0 with points \
	lt LT[i] ps 0.7 notitle, \
     for [i=1:n] '+' using (ymin <= 0.001 ? Q999[i] : NaN):(0.001) every ::0::0 \
	with points lt LT[i] ps 0.7 notitle

eval ns_axis
eval set_term
replot
