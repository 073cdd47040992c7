" c7gen model files
autocmd BufRead,BufNewFile *.c7 setfiletype c7
