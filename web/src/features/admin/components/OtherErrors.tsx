/** The server's field errors that belong to no field of an admin form (`Form.otherErrors`). */
export function OtherErrors({ errors }: { errors: string[] }) {
  if (!errors.length) return null;
  return (
    <ul className="kern-body">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}
