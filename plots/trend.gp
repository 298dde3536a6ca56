# Trend of one series over the nights: the median as a line with points, a
# band from the median up to p99, every kernel, microcode and exitlat change
# marked on the time axis (a line up to its number; the numbers are listed
# below the figure), the nights `exitlat-history check` alerts on ringed and
# failed nights crossed. Where each text goes was decided by the history
# (history/layout.c): this script reads it and draws.
# Variables (besides style.gp's):
#   data     trend-HOST--TRACK.dat written by `exitlat-history trend-data`
#            (docs/history-schema.md): block 0 the figure's records (frame,
#            axis x/y/y2, trend), block 1 the nights, block 2 the texts,
#            block 3 the changes, block 4 the marked nights
#   style_ok 1 when plots/style.gp is there (the caller checks), else
#            trend-nostyle.gp's minimal equivalent is used
# An emulated series is stamped EMULATED (style.gp): path lengths.
if (!exists("plotdir")) plotdir = 'plots'
if (!exists("style_ok")) style_ok = 1
set datafile separator "\t"
# Strings come decoded through strcol(): text from the history stays text.
has_y2 = 0
stats data index 0 using (r_ = strcol(1), \
	r_ eq 'frame' ? (w_cm = column(2), h_cm = column(3), m_l = column(4), m_r = column(5), \
		m_b = column(6), m_t = column(7), stamp_y = column(8), key_x = column(9), \
		key_y = column(10)) : \
	r_ eq 'trend' ? (emulated = int(column(2)), emu_name = strcol(3), tsc_khz = column(4), \
		x_years = int(column(5)), data_top = column(6), ntags = int(column(7)), nnumbered = int(column(8)), \
		kinds = int(column(9)), key_entries = int(column(10)), nalerts = int(column(11)), nfailed = int(column(12)), \
		ntexts = int(column(13))) : \
	r_ eq 'axis' ? (a_ = strcol(2), \
		a_ eq 'x' ? (xlo = column(3), xhi = column(4), xt0 = column(5), xstep = column(6), \
			xt1 = column(7)) : \
		a_ eq 'y' ? (ylo = column(3), yhi = column(4), yt0 = column(5), ystep = column(6), \
			yt1 = column(7), ydec = int(column(8))) : \
		(has_y2 = 1, y2lo = column(3), y2hi = column(4), y2t0 = column(5), y2step = column(6), \
			y2t1 = column(7), y2dec = int(column(8)))) : 0, 0) nooutput
load (style_ok ? plotdir.'/style.gp' : plotdir.'/trend-nostyle.gp')
set datafile separator "\t"
eval set_term
if (emulated) { set label 901 at screen 0.5, stamp_y }

# (stats reads no data once the x axis is time)
texts_index = 2
load plotdir.'/figure-texts.gp'
stats data index 1 using 2 nooutput
nights = STATS_records

set lmargin at screen m_l
set rmargin at screen m_r
set bmargin at screen m_b
set tmargin at screen m_t
set xdata time
set timefmt '%Y-%m-%dT%H:%M:%SZ'
set xrange [xlo:xhi]
set xtics xt0, xstep, xt1
set format x (x_years ? '%Y-%m' : '%m-%d') timedate
unset mxtics
set yrange [ylo:yhi]
set ytics yt0, ystep, yt1
set format y sprintf('%%.%df', ydec)
if (has_y2) {
	set y2range [y2lo:y2hi]
	set y2tics y2t0, y2step, y2t1 nomirror out scale 0.6
	set format y2 sprintf('%%.%df', y2dec)
	set border 11 back lw 0.8
}
unset xlabel
unset ylabel
unset title
set key at screen key_x, key_y left top vertical maxrows int((key_entries + 1) / 2) Left reverse samplen 2 spacing 1.0 noautotitle
set style fill transparent solid 0.25 noborder
# Elements with no point at all are left out (gnuplot 5.4 crashes on an empty "labels").
p = "data index 1 using 1:2:3 with filledcurves lt 2 title (nights > 1 ? 'median .. p99' : ''), " . \
    "'' index 1 using 1:2 with linespoints lt 1 title 'median'"
# One night has no band to draw: a whisker from its median to its p99 instead.
if (nights == 1) { p = p . ", '' index 1 using 1:2:2:3 with yerrorbars lt 2 ps 0 title 'median .. p99'" }
# A change: a line from the bottom to its number (or to the data's top).
chg(s) = column(5) == s ? ylo : NaN
if (kinds & 1) { p = p . ", '' index 3 using 1:(chg(1)):(0):(column(3) - ylo) with vectors nohead lt 7 lw 0.8 dt (4,3) title 'kernel change'" }
if (kinds & 2) { p = p . ", '' index 3 using 1:(chg(2)):(0):(column(3) - ylo) with vectors nohead lt 4 lw 0.8 dt (1,2) title 'microcode change'" }
if (kinds & 4) { p = p . ", '' index 3 using 1:(chg(3)):(0):(column(3) - ylo) with vectors nohead lt 3 lw 0.8 dt (6,2,1,2) title 'exitlat change'" }
if (nnumbered > 0) { p = p . ", '' index 3 using 1:2:(sprintf('%d', column(4))) with labels notitle" }
if (nalerts > 0) { p = p . ", '' index 4 using 1:(column(3) == 1 ? column(2) : NaN) with points pt 6 ps 1.4 lw 1.5 lc rgb '#C00000' title 'alert'" }
if (nfailed > 0) { p = p . ", '' index 4 using 1:(column(3) == 2 ? column(2) : NaN) with points pt 2 ps 0.9 lw 1.5 lc rgb '#666666' title 'failed night'" }
eval "plot " . p
