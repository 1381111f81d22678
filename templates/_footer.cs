</main>
<footer class="site-footer">
 <p>Reckon billing portal</p>
</footer>
</body>
</html>
