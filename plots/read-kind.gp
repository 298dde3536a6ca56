# Reads a kind-N.dat of exitlat-analyze --gnuplot (docs/analysis-outputs.md):
# what the hist, cdf and tail figures of one exit kind need, decided by the
# analysis. Loaded by those scripts before style.gp.
# In:  data  the kind-N.dat file      dir  the folder its file names are in ('' or 'D/')
# Out: kind, kind_tex (key title), emulated (0|1), emu_name, emu_name_tex,
#      tsc_khz, xlog, lbw, mode, xlo, xhi (NaN: autoscaled), lo, hi, ymin, n;
#      per series i = 1..n: HIST[i], CDF[i] (file names), TITLE[i], TITLE_TEX[i],
#      LT[i], BINS[i] ('exact'|'log'), BPD[i], Q50[i], Q99[i], Q999[i];
#      tex_extra: how many characters longer gnuplot guesses the LaTeX labels than
#      what they print (the analysis works it out; the key gives it back).
# Strings come through strcol(), which decodes the file's octal escapes: text
# from the samples stays text, it never becomes gnuplot code.
if (!exists("dir")) dir = ''
set datafile separator "\t"
# (numbers through strcol: a NaN field would make stats drop the row)
stats data index 0 using (kind = strcol(2), kind_tex = strcol(3), emulated = strcol(4) + 0, \
	emu_name = strcol(5), emu_name_tex = strcol(6), tsc_khz = strcol(7) + 0, \
	xlog = strcol(8) + 0, lbw = strcol(9) + 0, mode = strcol(10), xlo = strcol(11) + 0, \
	xhi = strcol(12) + 0, lo = strcol(13) + 0, hi = strcol(14) + 0, ymin = strcol(15) + 0, \
	n = int(strcol(16) + 0), tex_extra = strcol(17) + 0, 0) nooutput
array HIST[n]
array CDF[n]
array TITLE[n]
array TITLE_TEX[n]
array LT[n]
array BINS[n]
array BPD[n]
array Q50[n]
array Q99[n]
array Q999[n]
i_ = 0
stats data index 1 using (i_ = i_ + 1, HIST[i_] = strcol(2), CDF[i_] = strcol(3), \
	TITLE[i_] = strcol(4), TITLE_TEX[i_] = strcol(5), LT[i_] = int(strcol(6) + 0), \
	BINS[i_] = strcol(7), BPD[i_] = strcol(8) + 0, Q50[i_] = strcol(9) + 0, \
	Q99[i_] = strcol(10) + 0, Q999[i_] = strcol(11) + 0, 0) nooutput
set datafile separator whitespace
