@echo off
rem Double-click to fill forms in the browser: starts "yoshiki serve" on the
rem project folder and opens the browser. Close this window to stop.
rem Put this file in the project folder (the one with layouts\ and data\),
rem beside yoshiki.exe or with yoshiki installed.
cd /d "%~dp0"
if not exist layouts if not exist data if exist ..\layouts cd ..
if exist yoshiki.exe (
  yoshiki.exe serve . --open
) else (
  yoshiki serve . --open
)
if errorlevel 1 pause
